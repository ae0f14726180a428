package dev.kiln.experiments.ssdnerf;

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
class SsdNerfExperimentTest {

  @TempDir
  Path dir;

  @Test
  void quickStudyWritesScoresForBothSchedulesAndItsFigures() throws Exception {
    new SsdNerfExperiment().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(2)), 0, true,
        new PrintStream(OutputStream.nullOutputStream())));
    for (String f : List.of("results.json", "summary.md", "ssdnerf-recon-1view.png", "ssdnerf-recon-3view.png",
        "ssdnerf-unconditional.png", "ssdnerf-training-mse.png", "ssdnerf-training-fit.png")) {
      assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
    }
    String summary = Files.readString(dir.resolve("summary.md"));
    assertThat(summary).contains("| 1 | single-stage |", "| 3 | two-stage |").doesNotContain("NaN");
    JsonNode runs = Configs.mapper().readTree(dir.resolve("results.json").toFile()).get("runs");
    SsdNerfExperiment.Plan quick = SsdNerfExperiment.Plan.quick();
    for (JsonNode run : runs) {
      // λ_gd is one of the plan's, chosen from a score for every one of them on the validation scenes.
      assertThat(quick.guidanceScales()).contains(run.get("guidance_scale").asDouble());
      assertThat(run.get("validation_1view_guided_psnr").size()).isEqualTo(quick.guidanceScales().size());
    }
  }

  @Test
  void aSecondRunReadsTheFinishedRunsOfTheSamePlanAndRetrainsForAnother() throws Exception {
    OrtBackend backend = new OrtBackend(BackendOptions.cpu(2));
    SsdNerfExperiment.Plan quick = SsdNerfExperiment.Plan.quick();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    List<SsdNerfExperiment.Run> first = SsdNerfExperiment.run(quick, backend, dir, quiet);
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    List<SsdNerfExperiment.Run> again = SsdNerfExperiment.run(quick, backend, dir, new PrintStream(log, true,
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(log.toString(java.nio.charset.StandardCharsets.UTF_8).split("finished earlier", -1)).hasSize(3);
    assertThat(again).isEqualTo(first);
    // results of other data settings are not mistaken for this plan's
    JsonNode root = Configs.mapper().readTree(dir.resolve("results.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("data")).put("seed", 1);
    Files.write(dir.resolve("results.json"), Configs.mapper().writeValueAsBytes(root));
    SsdNerfReport report = new SsdNerfReport(quick, null, dir);
    assertThat(report.earlierRuns()).isEmpty();
  }

  @Test
  void theGuidanceScaleWithTheBestValidationPsnrIsChosen() {
    var tried = new java.util.LinkedHashMap<Double, Double>();
    tried.put(1e3, 14.0);
    tried.put(1e4, 15.5);
    tried.put(1e5, 15.1);
    assertThat(SsdNerfExperiment.best(tried)).isEqualTo(1e4);
  }

  @Test
  void lossBalanceQuickRunWritesOneRowPerPixelWeight() throws Exception {
    new SsdNerfLossBalance().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(2)), 0, true,
        new PrintStream(OutputStream.nullOutputStream())));
    List<String> rows = Files.readAllLines(dir.resolve("summary.md"));
    assertThat(rows).hasSize(2 + SsdNerfLossBalance.PIXEL_WEIGHTS.length);
    assertThat(rows.get(2)).startsWith("| 0.3 |").doesNotContain("NaN");
  }

  @Test
  void zooConfigIsThePlanTheReportRan() throws Exception {
    JsonNode json = Configs.mapper().readTree(Path.of("../../model-zoo/ssdnerf/config.json").toFile());
    assertThat(Configs.read(json, SsdNerfExperiment.Plan.class, "model-zoo/ssdnerf/config.json"))
        .isEqualTo(SsdNerfExperiment.Plan.full());
  }

  @Test
  void moduleProvidesTheStudyToKilnExperiment() {
    var provides = SsdNerfExperiment.class.getModule().getDescriptor().provides();
    assertThat(provides).anySatisfy(p -> {
      assertThat(p.service()).isEqualTo(Experiment.class.getName());
      assertThat(p.providers()).contains(SsdNerfExperiment.class.getName());
    });
    assertThat(new SsdNerfExperiment().name()).isEqualTo("ssdnerf");
  }
}
