package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of the kiln command for user mistakes. */
class CommandLineTest {

  @TempDir
  Path dir;

  @Test
  void helpListsTheCommands() {
    Cli.Run r = Cli.run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("train", "export", "bench");
  }

  @Test
  void missingRecipeIsAUsageError() {
    Cli.Run r = Cli.run("train", dir.resolve("nope.json").toString());
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("nope.json").contains("does not exist");
  }

  @Test
  void badRecipeFieldIsNamed() throws Exception {
    Path recipe = dir.resolve("bad.json");
    Files.writeString(recipe, """
        {"name": "bad", "task": {"type": "diffusion", "data": "8gaussians"},
         "architecture": {"type": "mlp-denoiser", "hiden": 3}, "trainer": {"steps": 10}}
        """);
    Cli.Run r = Cli.run("train", recipe.toString(), "-o", dir.resolve("run").toString(), "--threads", "1");
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("bad.json: architecture: unknown field `hiden`").contains("hidden");
  }

  @Test
  void unknownProviderListsTheAvailableOnes() throws Exception {
    Path recipe = dir.resolve("bad.json");
    Files.writeString(recipe, """
        {"name": "bad", "task": {"type": "diffusion", "data": "8gaussians"},
         "architecture": {"type": "transformer-xxl"}, "trainer": {"steps": 10}}
        """);
    Cli.Run r = Cli.run("train", recipe.toString(), "-o", dir.resolve("run").toString());
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("unknown type `transformer-xxl`").contains("mlp-denoiser").contains("unet");
  }

  @Test
  void trainThenExportWritesAModel() throws Exception {
    Path recipe = dir.resolve("r.json");
    Files.writeString(recipe, """
        {"name": "tiny", "task": {"type": "diffusion", "data": "moons", "batch_size": 32},
         "architecture": {"type": "mlp-denoiser", "hidden": 16, "depth": 1}, "trainer": {"steps": 20}}
        """);
    Path run = dir.resolve("run");
    Cli.Run t = Cli.run("train", recipe.toString(), "-o", run.toString(), "--threads", "1", "--set",
        "trainer.steps=30");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("tiny: 30 steps");
    Cli.Run e = Cli.run("export", run.toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(run.resolve("model.onnx")).exists();
  }
}
