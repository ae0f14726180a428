package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln export} writes adaptive-depth serving files for the architectures that have them. */
class ExportServingTest {

  @TempDir
  Path dir;

  @Test
  void universalTransformerExportAddsALoopModelThatServesLikeTheFullDepthModel() throws Exception {
    Path recipe = dir.resolve("ut.json");
    Files.writeString(recipe, """
        {"name": "tiny-ut", "seed": 1,
         "task": {"type": "cpvr", "length": 6, "train_hops": [1], "test_hops": [1, 2], "batch_size": 16,
                  "test_examples": 20},
         "architecture": {"type": "universal-transformer", "length": 6, "dim": 16, "heads": 2, "ffn": 32,
                          "max_steps": 3, "halting_bias_init": 0.0},
         "trainer": {"steps": 5, "log_every": 5}}
        """);
    Path run = dir.resolve("run");
    Cli.ok("train", recipe.toString(), "-o", run.toString(), "--threads", "1");
    String out = Cli.ok("export", run.toString(), "--threads", "1");
    Path serving = run.resolve("serving");
    assertThat(out).contains("adaptive-depth serving files in " + serving);
    assertThat(serving.resolve("loop.onnx")).exists();
    assertThat(serving.resolve("step.onnx")).exists();
    assertThat(serving.resolve("serving.json")).exists();

    long[] tokens = new long[8 * 6];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = rng.nextInt(6);
    }
    Map<String, Tensor> in = Map.of("tokens", Tensor.ofLongs(tokens, 8, 6));
    OrtBackend cpu = new OrtBackend(BackendOptions.cpu(1));
    try (Session full = cpu.load(run.resolve("model.onnx")); Session loop = cpu.load(serving.resolve("loop.onnx"))) {
      Map<String, Tensor> expected = full.run(in);
      Map<String, Tensor> actual = loop.run(in);
      for (String name : new String[] {"logits", "steps"}) {
        Tensor e = expected.get(name);
        Tensor a = actual.get(name);
        assertThat(a.shape()).as(name).isEqualTo(e.shape());
        for (int i = 0; i < e.size(); i++) {
          assertThat(a.get(i)).as("%s[%d]", name, i).isCloseTo(e.get(i), within(1e-5));
        }
      }
    }
  }

  @Test
  void fixedGraphArchitecturesGetNoServingFolder() throws Exception {
    Path recipe = dir.resolve("mlp.json");
    Files.writeString(recipe, """
        {"name": "tiny", "task": {"type": "diffusion", "data": "moons", "batch_size": 32},
         "architecture": {"type": "mlp-denoiser", "hidden": 16, "depth": 1}, "trainer": {"steps": 5}}
        """);
    Path run = dir.resolve("run");
    Cli.ok("train", recipe.toString(), "-o", run.toString(), "--threads", "1");
    String out = Cli.ok("export", run.toString(), "--threads", "1");
    assertThat(out).doesNotContain("serving files");
    assertThat(run.resolve("serving")).doesNotExist();
  }
}
