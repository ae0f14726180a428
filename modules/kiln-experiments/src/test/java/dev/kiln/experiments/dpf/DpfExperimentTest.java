package dev.kiln.experiments.dpf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import dev.kiln.train.Recipe;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study runs end to end in quick mode (a few steps each, 56² only; the numbers mean nothing). */
class DpfExperimentTest {

  @TempDir
  Path dir;

  @Test
  void quickRunMeasuresEveryPartAndChecksTheExports() throws Exception {
    new DpfExperiment().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(2)), 1, true,
        new PrintStream(OutputStream.nullOutputStream())));
    JsonNode results = Configs.mapper().readTree(dir.resolve("results.json").toFile());
    Set<String> seen = new HashSet<>();
    for (JsonNode row : results.path("rows")) {
      seen.add(row.path("part").asText() + "/" + row.path("method").asText() + "/" + row.path("metric").asText());
    }
    assertThat(seen).contains("mnist/DPF/fd", "mnist/grid UNet/fd", "mnist/DPF/params", "mnist/grid UNet/params",
        "context ablation/context size 16/fd", "context ablation/context size 32/fd", "resolution/DPF at 56² → 28²/fd",
        "shapes/DPF/coverage_iou", "shapes/DPF/mmd_iou", "sphere/DPF (cap → plane)/fd",
        "mnist/DPF, 4 octaves/fd", "resolution/DPF, 4 octaves at 56² → 28²/fd",
        "context use/DPF, t = 500/x0 MSE, own context", "context use/DPF, t = 500/x0 MSE, another field's",
        "context use/DPF, t = 700/x0 MSE, per-coordinate mean");
    // The recipe's own context size (32 in quick mode) is the MNIST model itself, not a second training.
    assertThat(value(results, "context ablation", "context size 32")).isEqualTo(value(results, "mnist", "DPF"));
    assertThat(dir.resolve("seed-0/dpf-mnist-context-32")).doesNotExist();
    assertThat(dir.resolve("seed-0/dpf-mnist-context-16")).isDirectory();
    assertThat(dir.resolve("seed-0/dpf-mnist-octaves-4")).isDirectory();
    JsonNode parity = results.path("parity").path("dpf-mnist");
    assertThat(parity.path("max_abs_difference").asDouble(1)).isLessThan(1e-5);
    assertThat(parity.path("onnx_checker").asText()).isIn("ok", "skipped (no onnx)", "skipped (no python3)");
    assertThat(Files.readString(dir.resolve("table.md"))).contains("| mnist | DPF | fd |");
    Path seed = dir.resolve("seed-0");
    for (String png : new String[] {"mnist-28.png", "unet-28.png", "mnist-56.png", "mnist-28-bilinear-56.png",
        "shapes-views.png",
        "sphere.png"}) {
      assertThat(seed.resolve(png)).as(png).isNotEmptyFile();
    }
    assertThat(seed.resolve("shape-0.ply")).isNotEmptyFile();
  }

  private static double value(JsonNode results, String part, String method) {
    for (JsonNode row : results.path("rows")) {
      if (row.path("part").asText().equals(part) && row.path("method").asText().equals(method)
          && row.path("metric").asText().equals("fd")) {
        return row.path("value").asDouble();
      }
    }
    throw new AssertionError("no fd row for " + part + "/" + method);
  }

  @Test
  void theZooRecipesAreTheOnesTheStudyTrains() throws Exception {
    for (String part : new String[] {"mnist", "shapes", "sphere"}) {
      Recipe zoo = Recipe.read(Path.of("../../model-zoo/dpf-" + part + "/recipe.json"));
      try (var in = DpfExperiment.class.getResourceAsStream(part + "/recipe.json")) {
        assertThat(Configs.mapper().readTree(in)).as(part).isEqualTo(zoo.json());
      }
    }
  }
}
