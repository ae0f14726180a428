package dev.kiln.ssl.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.DType;
import dev.kiln.inference.ForwardSession;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Configs;
import dev.kiln.ssl.Method;
import dev.kiln.ssl.Pretraining;
import dev.kiln.ssl.augment.Pipeline;
import dev.kiln.ssl.data.FactorImages;
import dev.kiln.ssl.model.SslArchitectureProvider;
import dev.kiln.ssl.model.SslNetwork;
import dev.kiln.ssl.objective.MastConfig;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslTaskTest {

  private static final OrtBackend CPU = new OrtBackend(new BackendOptions(Device.CPU, 1, 1,
      BackendOptions.Optimization.BASIC, 0));
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final TrainingRun RUNS = new TrainingRun(CPU, Map.of("ssl", new SslTaskProvider()),
      Map.of("ssl-resnet", new SslArchitectureProvider()));

  private static Recipe recipe(int steps) {
    return Recipe.parse("""
        {"name": "mast-test", "seed": 0,
         "task": {"type": "ssl", "data": "coloured-digits", "objective": "mast", "expander": [16, 16],
                  "batch_size": 4, "probe_train": 100, "probe_iterations": 60},
         "architecture": {"type": "ssl-resnet", "widths": [4, 8]},
         "optimizer": {"type": "adam", "lr": 0.003},
         "schedule": {"type": "cosine", "warmup_steps": 0, "min_ratio": 0.0},
         "trainer": {"steps": %d}}
        """.formatted(steps), "test recipe");
  }

  @Test
  void theRecipeTrainsTheWeightsThatPretrainingTrains(@TempDir Path dir) throws Exception {
    Trainer.Result fromRecipe = RUNS.train(recipe(3), dir.resolve("recipe"), null);
    SslTask task = (SslTask) RUNS.build(recipe(3)).task();
    Pretraining study = new Pretraining(SslNetwork.of(3, List.of(4L, 8L), List.of(16L, 16L)), Pipeline.forSmallDigits(),
        Method.mast("mast-no-uncertainty", MastConfig.standard().withUncertainty(false)), 4, 3, 0.003, 0);
    Pretraining.Result direct = study.run(task.data(), CPU, dir.resolve("direct"), QUIET);
    assertThat(fromRecipe.weights().asMap().keySet()).isEqualTo(direct.weights().asMap().keySet());
    assertThat(fromRecipe.weights().contentEquals(direct.weights())).isTrue();
  }

  @Test
  void theExportIsTheEncoderAndMatchesTheTrainingGraphAtAnyBatch(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Trainer.Result r = RUNS.train(recipe(2), run, null);
    Path model = RUNS.export(run, dir.resolve("model.onnx"), true);
    SslTask task = (SslTask) RUNS.build(recipe(2)).task();
    Tensor x = task.data().images(new int[] {0, 5, 9, 3100, 3500});
    try (Session served = CPU.load(model);
        ForwardSession live = ForwardSession.compile(RUNS.build(recipe(2)).graph(), CPU, r.weights(), "features")) {
      assertThat(served.inputNames()).containsExactly("x");
      assertThat(served.outputNames()).containsExactly("features");
      float[] a = served.run(Map.of("x", x)).get("features").toFloatArray();
      float[] b = live.run(Map.of("x", x)).get("features").toFloatArray();
      assertThat(a).hasSize(5 * 8).containsExactly(b, org.assertj.core.data.Offset.offset(1e-5f));
      float[] one = served.run(Map.of("x", task.data().images(new int[] {5}))).get("features").toFloatArray();
      assertThat(one).containsExactly(java.util.Arrays.copyOfRange(a, 8, 16), org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void probesScoreFeaturesThatCarryTheFactorsAboveFeaturesThatCarryNothing() {
    SslTask task = (SslTask) RUNS.build(recipe(1)).task();
    Map<String, Double> pixels = task.evaluate(0, in -> Map.of("features", in.get("x").reshape(in.get("x").dim(0),
        3 * 16 * 16)));
    Map<String, Double> constant = task.evaluate(0, in -> Map.of("features", Tensor.zeros(DType.FLOAT,
        in.get("x").dim(0), 4)));
    assertThat(pixels).containsOnlyKeys("digit_accuracy", "hue_accuracy", "position_accuracy", "mean_accuracy");
    // Six hues: constant features leave the probe the majority class; raw pixels carry the tint linearly.
    assertThat(constant.get("hue_accuracy")).isLessThan(0.3);
    assertThat(pixels.get("hue_accuracy")).isGreaterThan(0.6).isGreaterThan(3 * constant.get("hue_accuracy"));
    assertThat(pixels.get("mean_accuracy")).isCloseTo((pixels.get("digit_accuracy") + pixels.get("hue_accuracy")
        + pixels.get("position_accuracy")) / 3, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void aRecipeWithAnUnknownDataSetNamesTheField() {
    assertThatThrownBy(() -> Configs.read(Configs.mapper().readTree("{\"data\": \"cifar\"}"), SslTaskConfig.class,
        "recipe")).hasMessageContaining("`data`").hasMessageContaining("cifar");
  }
}
