package dev.kiln.experiments.hyperut;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MNIST study's quick run trains, scores and serves all three models end to end. */
class HyperUVitMnistExperimentTest {

  @TempDir
  Path dir;

  @Test
  void quickRunScoresAndServesViTUVitAndHyperUVit() throws Exception {
    new HyperUVitMnistExperiment().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(2)), 1, true,
        new PrintStream(OutputStream.nullOutputStream())));
    JsonNode root = Configs.mapper().readTree(Files.readString(dir.resolve("results.json")));
    List<String> models = new ArrayList<>();
    for (JsonNode r : root.get("runs")) {
      models.add(r.get("model").asText());
      assertThat(r.get("test_accuracy").asDouble()).as("%s accuracy", r.get("model")).isBetween(0.0, 1.0);
    }
    assertThat(models).containsExactly("vit", "u-vit", "hyperu-vit");
    assertThat(root.get("runs").get(1).get("parameters").asLong()).as("u-vit has no weight banks")
        .isLessThan(root.get("runs").get(2).get("parameters").asLong());
    assertThat(root.get("serving").get("u-vit").has("ONNX Loop")).isTrue();
    assertThat(root.get("serving").get("hyperu-vit").has("java step loop")).isTrue();
    assertThat(dir.resolve("summary.md")).isNotEmptyFile();
    assertThat(dir.resolve("layers-histogram.png")).isNotEmptyFile();
  }
}
