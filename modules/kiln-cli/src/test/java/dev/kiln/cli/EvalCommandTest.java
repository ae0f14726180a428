package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln eval} draws and measures its samples batch by batch, and says what each metric saw. */
class EvalCommandTest {

  @TempDir
  static Path root;

  static Path model;

  @BeforeAll
  static void trainAndExportATinyModel() throws Exception {
    Path recipe = root.resolve("tiny.json");
    Files.writeString(recipe, """
        {"name": "tiny", "seed": 1, "task": {"type": "diffusion", "data": "moons", "batch_size": 32},
         "architecture": {"type": "mlp-denoiser", "hidden": 16, "depth": 1}, "trainer": {"steps": 20}}
        """);
    Path run = root.resolve("run");
    Cli.ok("train", recipe.toString(), "-o", run.toString(), "--threads", "1");
    model = run.resolve("model.onnx");
    Cli.ok("export", run.toString(), "-o", model.toString());
  }

  @Test
  void moreSamplesThanABatchAreMeasuredBatchByBatchWithProgress() {
    Cli.Run r = Cli.run("eval", model.toString(), "-n", "4100", "--steps", "2", "--threads", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("ddim steps 2 (NFE 2), 4100 samples: swd ")
        .contains("2 batches of at most 4096; swd and mmd2 on 4100 of 4100 samples (a seeded reservoir of at most"
            + " 10000) against as many held-out points");
    assertThat(r.err()).contains("ddim: 4100/4100 samples");
  }

  @Test
  void theSameCommandGivesTheSameNumbers() {
    String a = Cli.ok("eval", model.toString(), "-n", "300", "--steps", "3", "--seed", "4", "--threads", "1");
    String b = Cli.ok("eval", model.toString(), "-n", "300", "--steps", "3", "--seed", "4", "--threads", "1");
    String c = Cli.ok("eval", model.toString(), "-n", "300", "--steps", "3", "--seed", "5", "--threads", "1");
    assertThat(a).contains("1 batches of at most 4096").isEqualTo(b).isNotEqualTo(c);
  }
}
