package dev.kiln.experiments.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study runs end to end in quick mode (a few steps each; the numbers mean nothing). */
class BootExperimentTest {

  @TempDir
  Path dir;

  @Test
  void quickRunComparesEveryMethodOnBothDataSets() throws Exception {
    new BootExperiment().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(2)), 1, true,
        new PrintStream(OutputStream.nullOutputStream())));
    JsonNode results = Configs.mapper().readTree(dir.resolve("results.json").toFile());
    for (String part : new String[] {"8gaussians", "mnist"}) {
      JsonNode rows = results.path(part).path("rows");
      assertThat(rows).as("%s rows", part).hasSize(8 + BootExperiment.ABLATIONS.size());
      for (JsonNode row : rows) {
        assertThat(row.path("pairing_rms_mean").isNumber()).as("%s %s has a pairing fidelity", part, row).isTrue();
        assertThat(row.path("recall_mean").asDouble(-1)).as("%s %s recall", part, row).isBetween(0.0, 1.0);
      }
      assertThat(rows.get(7).path("method").asText()).isEqualTo("PD 1-step");
      assertThat(rows.get(8).path("method").asText()).isEqualTo("BOOT 1-step, grid 16");
      assertThat(results.path(part).path("ablation_boot-grid64").path("grid_steps").asInt()).isEqualTo(64);
      assertThat(results.path(part).path("ablation_boot-boundary-rows").path("boundary_rows").asInt())
          .as("%s: boundary rows of their own", part).isPositive();
      assertThat(results.path(part).path("wall_time_us_per_sample").path("BOOT 1-step").isNumber()).isTrue();
    }
    assertThat(rowOf(results.path("8gaussians").path("rows"), "teacher DDIM-32").path("pairing_rms_mean").asDouble())
        .as("DDIM-32 is its own pairing reference").isZero();
    assertThat(Files.readString(dir.resolve("table.md"))).contains("| BOOT 1-step | 1 |");
    assertThat(dir.resolve("8gaussians/samples.png")).isRegularFile();
    assertThat(dir.resolve("mnist/samples-boot-1-step.png")).isRegularFile();
    assertThat(dir.resolve("mnist/boot/model.onnx")).isRegularFile();
  }

  private static JsonNode rowOf(JsonNode rows, String method) {
    for (JsonNode r : rows) {
      if (r.path("method").asText().equals(method)) {
        return r;
      }
    }
    throw new AssertionError("no row " + method);
  }
}
