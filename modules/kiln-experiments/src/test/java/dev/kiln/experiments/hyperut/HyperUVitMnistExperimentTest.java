package dev.kiln.experiments.hyperut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

/** The MNIST study's quick run trains, scores and serves both models end to end. */
class HyperUVitMnistExperimentTest {

  @TempDir
  Path dir;

  @Test
  void quickRunScoresAndServesViTAndHyperUVitAndCountsTheHyperNetworksArithmetic() throws Exception {
    new HyperUVitMnistExperiment().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(2)), 1, true,
        new PrintStream(OutputStream.nullOutputStream())));
    JsonNode root = Configs.mapper().readTree(Files.readString(dir.resolve("results.json")));
    List<String> models = new ArrayList<>();
    for (JsonNode r : root.get("runs")) {
      models.add(r.get("model").asText());
      assertThat(r.get("test_accuracy").asDouble()).as("%s accuracy", r.get("model")).isBetween(0.0, 1.0);
    }
    assertThat(models).containsExactly("vit", "hyperu-vit");
    JsonNode vit = root.get("runs").get(0);
    JsonNode hyper = root.get("runs").get(1);
    assertThat(vit.get("multiply_adds_ratio_to_vit").asDouble()).isCloseTo(1.0, within(1e-12));
    // Per step the banks add 8·2·64·128 multiply-adds to a block's 17·(4·64² + 2·64·128) + 2·17²·64.
    double perStep = 17 * (4 * 64 * 64 + 2 * 64 * 128) + 2 * 17 * 17 * 64;
    double hyperPerStep = perStep + 17 * 64 + 64 * 32 + 32 * 8 + 8 * 2 * 64 * 128;
    assertThat(hyper.get("multiply_adds").asDouble())
        .isCloseTo(hyperPerStep * hyper.get("test_steps").asDouble(), within(1.0));
    assertThat(root.get("serving").get("hyperu-vit").has("ONNX Loop")).isTrue();
    assertThat(root.get("serving").get("hyperu-vit").has("java step loop")).isTrue();
    assertThat(dir.resolve("summary.md")).isNotEmptyFile();
    assertThat(dir.resolve("layers-histogram.png")).isNotEmptyFile();
  }
}
