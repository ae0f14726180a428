package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of the kiln command for user mistakes. */
class CommandLineTest {

  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private static Run kiln(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = KilnCommand.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void helpListsTheCommands() {
    Run r = kiln("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("train", "export", "bench");
  }

  @Test
  void missingRecipeIsAUsageError() {
    Run r = kiln("train", dir.resolve("nope.json").toString());
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
    Run r = kiln("train", recipe.toString(), "-o", dir.resolve("run").toString(), "--threads", "1");
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
    Run r = kiln("train", recipe.toString(), "-o", dir.resolve("run").toString());
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
    Run t = kiln("train", recipe.toString(), "-o", run.toString(), "--threads", "1", "--set", "trainer.steps=30");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("tiny: 30 steps");
    Run e = kiln("export", run.toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(run.resolve("model.onnx")).exists();
  }
}
