package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln sample --scheduler-config} takes a diffusers scheduler_config.json unchanged. */
class SchedulerConfigTest {

  /** The zoo's quickstart model (DDPM's linear schedule, ε-prediction). */
  private static final Path MODEL = Path.of("../../model-zoo/quickstart-8gaussians/model.onnx");

  @TempDir
  Path dir;

  /** diffusers' DDIMScheduler config as `save_config` writes it, with DDIM's η and the trailing spacing. */
  private Path ddimConfig(String extra) throws Exception {
    Path file = dir.resolve("scheduler_config.json");
    Files.writeString(file, """
        {"_class_name": "DDIMScheduler", "_diffusers_version": "0.30.0", "beta_end": 0.02,
         "beta_schedule": "linear", "beta_start": 0.0001, "clip_sample": false, "num_train_timesteps": 1000,
         "prediction_type": "epsilon", "set_alpha_to_one": true, "steps_offset": 0,
         "timestep_spacing": "trailing"%s}
        """.formatted(extra));
    return file;
  }

  @Test
  void theClassNameChoosesTheSamplerAndTheFieldsConfigureIt() throws Exception {
    Path file = ddimConfig("");
    Path raw = dir.resolve("a.safetensors");
    Cli.Run r = Cli.run("sample", MODEL.toString(), "--scheduler-config", file.toString(), "--steps", "10", "-n", "16",
        "-o", dir.resolve("a.png").toString(), "--raw", raw.toString(), "--threads", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("16 samples, ddim 10 steps (10 model calls)");
    // the trailing spacing came from the file: the same draw with --set gives the same bytes, leading does not
    Path same = dir.resolve("b.safetensors");
    Cli.ok("sample", MODEL.toString(), "--sampler", "ddim", "--set", "timestep_spacing=trailing", "--steps", "10",
        "-n", "16", "-o", dir.resolve("b.png").toString(), "--raw", same.toString(), "--threads", "1");
    Path leading = dir.resolve("c.safetensors");
    Cli.ok("sample", MODEL.toString(), "--sampler", "ddim", "--steps", "10", "-n", "16", "-o",
        dir.resolve("c.png").toString(), "--raw", leading.toString(), "--threads", "1");
    assertThat(Files.readAllBytes(raw)).isEqualTo(Files.readAllBytes(same));
    assertThat(Files.readAllBytes(raw)).isNotEqualTo(Files.readAllBytes(leading));
  }

  @Test
  void anUnknownFieldIsAUsageErrorNamingTheFileAndTheField() throws Exception {
    Path file = ddimConfig(", \"beta_ennd\": 0.03");
    Cli.Run r = Cli.run("sample", MODEL.toString(), "--scheduler-config", file.toString(), "-n", "4", "-o",
        dir.resolve("x.png").toString(), "--threads", "1");
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains(file.toString()).contains("unknown field `beta_ennd`").contains("beta_end");
  }

  @Test
  void aSchedulerNoKilnSamplerReadsIsAUsageError() throws Exception {
    Path file = dir.resolve("lms.json");
    Files.writeString(file, "{\"_class_name\": \"LMSDiscreteScheduler\", \"num_train_timesteps\": 1000}");
    Cli.Run r = Cli.run("sample", MODEL.toString(), "--scheduler-config", file.toString(), "-n", "4", "-o",
        dir.resolve("y.png").toString(), "--threads", "1");
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("LMSDiscreteScheduler, which no Kiln sampler reads; choose one with --sampler");
  }
}
