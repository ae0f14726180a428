package dev.kiln.experiments.agm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgmExperimentTest {

  @TempDir
  Path dir;

  @Test
  void quickRunWritesResultsTablesAndPlots() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new AgmExperiment().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(2)), 0, true,
        new PrintStream(log, true, StandardCharsets.UTF_8)));
    JsonNode results = Configs.mapper().readTree(dir.resolve("results.json").toFile());
    JsonNode toy = results.get("toy");
    assertThat(toy.get("rows").has("agm-gddim-hop")).as("the AGM row").isTrue();
    assertThat(toy.get("rows").has("ddim")).isTrue();
    assertThat(toy.get("rows").has("dpmpp-2m")).isTrue();
    assertThat(toy.get("best_hop").size()).isEqualTo(toy.get("hop_sweep").size());
    assertThat(toy.get("early_agm").size()).as("early-prediction points").isEqualTo(4);
    assertThat(dir.resolve("toy").resolve("quality-vs-nfe.png")).exists();
    assertThat(dir.resolve("toy").resolve("early-prediction.png")).exists();
    assertThat(dir.resolve("toy").resolve("hop-sweep.png")).exists();
    assertThat(results.get("toy").get("rows").has("agm-sscs")).isTrue();
    assertThat(dir.resolve("toy").resolve("samples-nfe10.png")).exists();
    assertThat(Files.readString(dir.resolve("table.md"))).contains("AGM + gDDIM + hop", "DPM-Solver++ 2M");
  }

  /** The digits half trains AGM and the ε baseline with the same skip-path network family. */
  @Test
  void digitsRunGivesBothModelsTheSkipPath() throws Exception {
    new AgmDigitsExperiment().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(2)), 0, true,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    for (String model : new String[] {"agm-digits", "eps-digits"}) {
      JsonNode recipe = Configs.mapper().readTree(dir.resolve("digits").resolve(model).resolve("recipe.json").toFile());
      assertThat(recipe.path("architecture").path("skip").asBoolean()).as("%s has the skip path", model).isTrue();
      assertThat(recipe.path("architecture").path("hidden").asInt()).as("%s width", model).isEqualTo(32);
    }
    JsonNode digits = Configs.mapper().readTree(dir.resolve("results.json").toFile()).get("digits");
    assertThat(digits.get("rows").has("agm-gddim-hop")).isTrue();
    assertThat(digits.get("rows").has("ddim")).isTrue();
  }
}
