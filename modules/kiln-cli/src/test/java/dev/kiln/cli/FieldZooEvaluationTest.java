package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln zoo} with a card whose evaluation is {@code field-quality}: tiny DPF models on occupancy
 * volumes and on digits, published, verified and tampered with.
 */
class FieldZooEvaluationTest {

  private static final String RECIPE = """
      {"name": "%s", "seed": 0,
       "task": {"type": "dpf", "data": "%s", %s "batch_size": 4, "context_size": 32, "query_size": 32,
                "schedule": {"num_train_timesteps": 100, "beta_schedule": "squaredcos_cap_v2",
                             "prediction_type": "epsilon"}},
       "architecture": {"type": "perceiver-io", "domain": "%s", "encoding": "fourier", "frequencies": 2, "width": 8,
                        "latents": 4, "heads": 2, "blocks": 1, "mlp_ratio": 2, "time_embedding": 8},
       "trainer": {"steps": 3}}
      """;

  private static final String CARD = """
      {"name": "%s", "method": "a tiny DPF model for the zoo tests",
       "models": [{"file": "model.onnx", "recipe": "recipe.json"}],
       "evaluation": {"type": "field-quality", "model": "model.onnx", "sampler": "ddim", "steps": 3, "count": %d}}
      """;

  @TempDir
  Path dir;

  /** Trains and publishes a tiny field model into {@code dir/zoo/name}; returns what publish printed. */
  private String publish(String name, String data, String resolution, String domain, int count) throws Exception {
    Path folder = dir.resolve("zoo").resolve(name);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("recipe.json"), RECIPE.formatted(name, data, resolution, domain));
    Files.writeString(folder.resolve("card.json"), CARD.formatted(name, count));
    Files.writeString(folder.resolve("README.md"), "# " + name + "\n\nA tiny field model.\n");
    Path run = dir.resolve("run-" + name);
    Cli.ok("train", folder.resolve("recipe.json").toString(), "-o", run.toString(), "--threads", "1");
    return Cli.ok("zoo", "publish", name, "--zoo", dir.resolve("zoo").toString(), "--run", run.toString());
  }

  /** Replaces the card's {@code metric} by {@code factor} times itself, re-hashes, and verifies. */
  private Cli.Run verifyWithScaled(String name, String metric, double factor) throws Exception {
    Path folder = dir.resolve("zoo").resolve(name);
    Path card = folder.resolve("card.json");
    String json = Files.readString(card, StandardCharsets.UTF_8);
    String value = json.replaceAll("(?s).*\"" + metric + "\" : ([0-9.Ee-]+).*", "$1");
    double wrong = Double.parseDouble(value) * factor + (Double.parseDouble(value) == 0 ? 0.5 : 0);
    Files.writeString(card, json.replace("\"" + metric + "\" : " + value, "\"" + metric + "\" : " + wrong));
    ZooManifest.of(folder).write(folder);
    Cli.Run r = Cli.run("zoo", "verify", name, "--zoo", dir.resolve("zoo").toString());
    assertThat(r.code()).isEqualTo(ZooVerifyCommand.MISMATCH);
    assertThat(r.out()).contains("field `metrics." + metric + "` is " + wrong + " but the shipped model measures "
        + value);
    return r;
  }

  @Test
  void anOccupancyModelIsMeasuredByCoverageAndMmdAndAWrongMmdIsCaught() throws Exception {
    String published = publish("tiny-shapes", "shapes", "\"resolution\": 6,", "volume", 6);
    assertThat(published).contains("tiny-shapes: coverage_iou ").contains("tiny-shapes: mmd_iou ");
    String ok = Cli.ok("zoo", "verify", "tiny-shapes", "--zoo", dir.resolve("zoo").toString());
    assertThat(ok).contains("(identical)").contains("tiny-shapes: ok");
    assertThat(Files.readString(dir.resolve("zoo/tiny-shapes/README.md"))).contains("| coverage_iou |")
        .contains("./kiln sample model-zoo/tiny-shapes/model.onnx -n 6 --sampler ddim --steps 3 --seed 0");
    verifyWithScaled("tiny-shapes", "mmd_iou", 1.1);
  }

  @Test
  void aDigitFieldModelIsMeasuredOnTheClassifierFeaturesAndAWrongFdIsCaught() throws Exception {
    String published = publish("tiny-digits", "mnist", "", "plane", 12);
    assertThat(published).contains("tiny-digits: fd ").contains("tiny-digits: precision ")
        .contains("tiny-digits: recall ");
    verifyWithScaled("tiny-digits", "fd", 0.95);
  }

  @Test
  void aFieldEvaluationOfAModelThatIsNotAFieldIsAUserError() throws Exception {
    Path folder = dir.resolve("zoo").resolve("not-a-field");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("recipe.json"), """
        {"name": "not-a-field", "seed": 0,
         "task": {"type": "diffusion", "data": "8gaussians", "batch_size": 16,
                  "schedule": {"num_train_timesteps": 50, "beta_schedule": "linear", "prediction_type": "epsilon"}},
         "architecture": {"type": "mlp-denoiser", "hidden": 8, "depth": 1},
         "trainer": {"steps": 2}}
        """);
    Files.writeString(folder.resolve("card.json"), CARD.formatted("not-a-field", 4));
    Path run = dir.resolve("run-plain");
    Cli.ok("train", folder.resolve("recipe.json").toString(), "-o", run.toString(), "--threads", "1");
    Cli.Run r = Cli.run("zoo", "publish", "not-a-field", "--zoo", dir.resolve("zoo").toString(), "--run",
        run.toString());
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("model.onnx").contains("field-quality needs a field model");
    assertThat(folder.resolve("model.onnx")).doesNotExist();
  }
}
