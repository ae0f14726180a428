package dev.kiln.experiments.nerfdiff;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study's --quick run goes end to end and writes every output. */
class NerfDiffExperimentTest {

  @TempDir
  Path dir;

  @Test
  void quickStudyScoresAllFourMethodsAndDrawsTheirTurntables() throws Exception {
    new NerfDiffExperiment().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(1)), 0, true,
        new PrintStream(OutputStream.nullOutputStream())));
    assertThat(dir.resolve("results.json")).isNotEmptyFile();
    assertThat(dir.resolve("metrics-seed-0.jsonl")).isNotEmptyFile();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anySatisfy(f -> assertThat(f).startsWith("nerfdiff-turntable-scene-").endsWith(".png"));
    }
    String summary = Files.readString(dir.resolve("summary.md"));
    for (String m : List.of("nerf-only", "cdm-samples", "naive-distillation", "ngd", "ngd-views")) {
      assertThat(summary).contains("| toycar | " + m + " |", "| chair | " + m + " |");
    }
    assertThat(summary).contains("| 10.0 |").doesNotContain("NaN");
    JsonNode rows = Configs.mapper().readTree(dir.resolve("results.json").toFile()).get("rows");
    // Two test scenes, each: four methods plus NGD's refined views, and both for the one extra γ.
    assertThat(rows).hasSize(2 * (5 + 2));
  }

  @Test
  void moduleProvidesTheStudyToKilnExperiment() {
    var provides = NerfDiffExperiment.class.getModule().getDescriptor().provides();
    assertThat(provides).anySatisfy(p -> {
      assertThat(p.service()).isEqualTo(Experiment.class.getName());
      assertThat(p.providers()).contains(NerfDiffExperiment.class.getName());
    });
    assertThat(new NerfDiffExperiment().name()).isEqualTo("nerfdiff");
  }
}
