package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln sample} and {@code kiln eval} serve exported AGM models with the phase-space samplers. */
class PhaseSpaceCommandsTest {

  @TempDir
  Path dir;

  @Test
  void anExportedAgmModelIsSampledAndEvaluatedWithPhaseSpaceSamplers() throws Exception {
    Path recipe = dir.resolve("agm.json");
    Files.writeString(recipe, """
        {"name": "tiny-agm", "seed": 0,
         "task": {"type": "agm", "data": "8gaussians", "batch_size": 64},
         "architecture": {"type": "agm-mlp", "sample_shape": [2], "hidden": 16, "depth": 2, "time_embedding": 8},
         "trainer": {"steps": 20, "log_every": 10}}
        """);
    Path run = dir.resolve("run");
    assertThat(Cli.run("train", recipe.toString(), "-o", run.toString(), "--threads", "1").code()).isZero();
    assertThat(Cli.run("export", run.toString(), "--threads", "1").code()).isZero();
    Path model = run.resolve("model.onnx");

    Path png = dir.resolve("agm.png");
    Cli.Run s = Cli.run("sample", model.toString(), "--steps", "4", "-n", "50", "-o", png.toString(), "--raw",
        dir.resolve("agm.safetensors").toString(), "--threads", "1");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("50 samples, agm-gddim 4 steps (4 model calls)");
    assertThat(png).isNotEmptyFile();
    assertThat(dir.resolve("agm.safetensors")).isNotEmptyFile();

    Cli.Run e = Cli.run("eval", model.toString(), "--sampler", "agm-em", "--steps", "6", "-n", "100", "--threads", "1");
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out()).contains("agm-em steps 6 (NFE 6), 100 samples: swd");

    Cli.Run wrong = Cli.run("eval", model.toString(), "--sampler", "ddim", "--steps", "5", "-n", "10");
    assertThat(wrong.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(wrong.err()).contains("sampler ddim: `ddim` samples a model of position, but")
        .contains("is a model of position and velocity; its default sampler is `agm-gddim`");
  }
}
