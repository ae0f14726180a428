package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A BOOT student trained and exported by the CLI is drawn by {@code kiln sample} and {@code kiln eval} in one step. */
class BootCommandsTest {

  @TempDir
  Path dir;

  @Test
  void aBootStudentSamplesInOneStepByDefault() throws Exception {
    Path teacherRecipe = dir.resolve("teacher.json");
    Files.writeString(teacherRecipe, """
        {"name": "tiny-teacher", "seed": 0,
         "task": {"type": "diffusion", "data": "8gaussians", "batch_size": 64,
                  "schedule": {"num_train_timesteps": 64, "beta_schedule": "squaredcos_cap_v2",
                               "prediction_type": "sample"}},
         "architecture": {"type": "mlp-denoiser", "hidden": 16, "depth": 1},
         "trainer": {"steps": 20}}
        """);
    Path teacher = dir.resolve("teacher");
    Cli.ok("train", teacherRecipe.toString(), "-o", teacher.toString(), "--threads", "1");
    Cli.ok("export", teacher.toString(), "--threads", "1");
    Path studentRecipe = dir.resolve("student.json");
    Files.writeString(studentRecipe, """
        {"name": "tiny-boot", "seed": 0,
         "task": {"type": "boot", "teacher": "%s", "batch_size": 32, "grid_steps": 4},
         "architecture": {"type": "mlp-denoiser", "hidden": 16, "depth": 1},
         "trainer": {"steps": 10}}
        """.formatted(teacher.resolve("model.onnx").toString().replace("\\", "/")));
    Path student = dir.resolve("student");
    Cli.ok("train", studentRecipe.toString(), "-o", student.toString(), "--threads", "1");
    Cli.ok("export", student.toString(), "--threads", "1");

    String sampled = Cli.ok("sample", student.resolve("model.onnx").toString(), "-n", "40", "-o",
        dir.resolve("boot.png").toString(), "--threads", "1");
    assertThat(sampled).contains("40 samples, boot 1 steps (1 model calls)");
    assertThat(dir.resolve("boot.png")).isNotEmptyFile();
    String eval = Cli.ok("eval", student.resolve("model.onnx").toString(), "-n", "100", "--threads", "1");
    assertThat(eval).contains("boot steps 1 (NFE 1), 100 samples: swd");
    // the teacher is still drawn with DDIM and 50 steps by default
    assertThat(Cli.ok("eval", teacher.resolve("model.onnx").toString(), "-n", "100", "--threads", "1"))
        .contains("ddim steps 50 (NFE 50)");
  }
}
