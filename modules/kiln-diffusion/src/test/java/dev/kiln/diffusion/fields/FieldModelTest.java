package dev.kiln.diffusion.fields;

import dev.kiln.diffusion.samplers.DdimProvider;
import dev.kiln.graph.DType;
import dev.kiln.inference.Domain;
import dev.kiln.inference.FieldQuery;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.TaskProvider;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tiny DPF model on the MNIST plane, trained, exported and sampled: the loss falls, the exported
 * model answers any number of pairs (each query from its own pair and the context alone), and DDIM
 * through the sampler SPI is seeded and deterministic at a resolution never trained on.
 */
class FieldModelTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final Map<String, TaskProvider<?>> TASKS = Map.of("dpf", new FieldTaskProvider());
  private static final Map<String, ArchitectureProvider<?>> ARCHS = Map.of("perceiver-io", new PerceiverIoProvider());

  static final String RECIPE = """
      {"name": "dpf-tiny", "seed": 3,
       "task": {"type": "dpf", "data": "mnist", "batch_size": 8, "context_size": 64, "query_size": 64,
                "schedule": {"num_train_timesteps": 100, "beta_schedule": "squaredcos_cap_v2"}},
       "architecture": {"type": "perceiver-io", "domain": "plane", "frequencies": 4, "width": 32, "latents": 8,
                        "heads": 2, "blocks": 1},
       "optimizer": {"type": "adamw", "lr": 0.003, "weight_decay": 0.0},
       "trainer": {"steps": 150, "log_every": 25}}
      """;

  @TempDir
  static Path dir;

  static Path model;
  static double earlyLoss;
  static double lateLoss;

  @BeforeAll
  static void trainAndExport() throws Exception {
    TrainingRun run = new TrainingRun(CPU, TASKS, ARCHS);
    Recipe recipe = Recipe.parse(RECIPE, "dpf-tiny.json");
    earlyLoss = run.train(recipe.with("trainer.steps", Configs.mapper().getNodeFactory().numberNode(20)),
        dir.resolve("short"), null).finalLoss();
    lateLoss = run.train(recipe, dir.resolve("long"), null).finalLoss();
    model = run.export(dir.resolve("long"), dir.resolve("dpf.onnx"), false);
  }

  @Test
  void aTinyTrainingRunLowersTheQueryNoiseLoss() {
    assertThat(lateLoss).as("mean loss over the last window: 150 steps vs 20").isLessThan(0.8 * earlyLoss);
  }

  @Test
  void theExportedModelAnswersAnyNumberOfPairsEachQueryFromItsOwnPairAndTheContext() throws Exception {
    answersAnyNumberOfPairsEachQueryFromItsOwnPair(model);
  }

  @Test
  void withTheQuerySignalAfterAttentionOrAtTheOutputLayerTheSameHolds() throws Exception {
    TrainingRun run = new TrainingRun(CPU, TASKS, ARCHS);
    for (String where : new String[] {"after_attention", "output"}) {
      Recipe recipe = Recipe.parse(RECIPE, "dpf-tiny.json")
          .with("architecture.query_signal", Configs.mapper().getNodeFactory().textNode(where))
          .with("trainer.steps", Configs.mapper().getNodeFactory().numberNode(20));
      run.train(recipe, dir.resolve("signal-" + where), null);
      answersAnyNumberOfPairsEachQueryFromItsOwnPair(run.export(dir.resolve("signal-" + where),
          dir.resolve("dpf-signal-" + where + ".onnx"), false));
    }
    Recipe both = Recipe.parse(RECIPE, "dpf-tiny.json")
        .with("architecture.query_signal", Configs.mapper().getNodeFactory().textNode("both"));
    assertThatThrownBy(() -> run.build(both)).hasMessageContaining("query_signal` must be token, after_attention or output, got `both`");
  }

  private static void answersAnyNumberOfPairsEachQueryFromItsOwnPair(Path model) throws Exception {
    try (Session s = CPU.load(model)) {
      SplittableRandom rng = new SplittableRandom(4);
      Tensor context = gaussian(rng, 2, 7, 1);
      Tensor contextCoords = uniform(rng, 2, 7, 2);
      Tensor x = gaussian(rng, 2, 40, 1);
      Tensor coords = uniform(rng, 2, 40, 2);
      Tensor t = Tensor.of(DType.FLOAT, new double[] {10, 60}, 2);
      float[] all = run(s, x, coords, t, context, contextCoords);
      assertThat(all).hasSize(80);
      // the first 5 queries alone give the same outputs
      float[] five = run(s, firstPairs(x, 40, 5, 1), firstPairs(coords, 40, 5, 2), t, context, contextCoords);
      for (int n = 0; n < 2; n++) {
        for (int q = 0; q < 5; q++) {
          assertThat(five[n * 5 + q]).as("row %d query %d", n, q).isCloseTo(all[n * 40 + q],
              org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
      // a larger context (another number of pairs) is accepted too
      assertThat(run(s, x, coords, t, gaussian(rng, 2, 300, 1), uniform(rng, 2, 300, 2))).hasSize(80);
    }
  }

  @Test
  void ddimThroughTheSamplerSpiIsSeededAndDeterministicAtAnUntrainedResolution() throws Exception {
    try (GenerativeModel m = GenerativeModel.load(model, CPU)) {
      assertThat(m.isField()).isTrue();
      assertThat(m.fieldDomain()).isEqualTo("plane");
      assertThat(m.fieldResolution()).isEqualTo(28);
      assertThat(m.contextSize()).isEqualTo(64);
      assertThatThrownBy(m::denoiser).isInstanceOf(ConfigException.class).hasMessageContaining("query coordinates");
      double[] grid = new Domain.Plane().grid(40);
      GenerativeModel at = m.at(FieldQuery.of(grid, 2, m.contextSize(), 1));
      assertThat(at.sampleShape()).containsExactly(1600, 1);
      Sampler ddim = at.sampler(new DdimProvider(), null, "test");
      Tensor a = at.sample(ddim, at.denoiser(), 2, 8, 11);
      Tensor b = at.sample(ddim, at.denoiser(), 2, 8, 11);
      Tensor c = at.sample(ddim, at.denoiser(), 2, 8, 12);
      assertThat(a.shape()).containsExactly(2, 1600, 1);
      assertThat(a.toFloatArray()).containsExactly(b.toFloatArray());
      assertThat(a.toFloatArray()).isNotEqualTo(c.toFloatArray());
      for (float v : a.toFloatArray()) {
        assertThat(v).isBetween(-1f, 1f);
      }
    }
  }

  private static float[] run(Session s, Tensor x, Tensor coords, Tensor t, Tensor context, Tensor contextCoords) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", x);
    in.put("coords", coords);
    in.put("t", t);
    in.put("context", context);
    in.put("context_coords", contextCoords);
    return s.run(in).get("out").toFloatArray();
  }

  private static Tensor firstPairs(Tensor t, int pairs, int keep, int width) {
    int n = (int) t.dim(0);
    Tensor out = Tensor.zeros(DType.FLOAT, n, keep, width);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < keep * width; j++) {
        out.set(i * keep * width + j, t.get(i * pairs * width + j));
      }
    }
    return out;
  }

  private static Tensor gaussian(SplittableRandom rng, long... shape) {
    Tensor t = Tensor.zeros(DType.FLOAT, shape);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, rng.nextGaussian());
    }
    return t;
  }

  private static Tensor uniform(SplittableRandom rng, long... shape) {
    Tensor t = Tensor.zeros(DType.FLOAT, shape);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, 2 * rng.nextDouble() - 1);
    }
    return t;
  }

  @Test
  void contextUseComparesOwnAndSwappedContextAgainstTheMeanField() throws Exception {
    FieldData data = FieldData.of("mnist", 28, 4);
    var schedule = dev.kiln.spi.process.ScheduleConfig.defaults().schedule();
    try (Session s = CPU.load(model)) {
      var four = FieldMetrics.contextUse(s, data, schedule, 64, 4, new int[] {10, 60}, 9);
      double[] y = new double[4 * data.pairs()];
      data.reference(9, 4, true, y);
      double expected = 0;
      for (int j = 0; j < data.pairs(); j++) {
        double m = 0;
        for (int i = 0; i < 4; i++) {
          m += y[i * data.pairs() + j] / 4;
        }
        for (int i = 0; i < 4; i++) {
          expected += (y[i * data.pairs() + j] - m) * (y[i * data.pairs() + j] - m);
        }
      }
      expected /= 4.0 * data.pairs();
      assertThat(four).hasSize(2);
      assertThat(four.get(0).t()).isEqualTo(10);
      assertThat(four.get(0).mean()).as("x0 MSE of the per-coordinate mean").isCloseTo(expected,
          org.assertj.core.data.Offset.offset(1e-12));
      assertThat(four.get(0).own()).as("at t = 10 of 1000 the noisy field itself is close").isLessThan(expected);
      assertThat(four.get(0).own()).isNotEqualTo(four.get(0).swapped());
      // one field: the "other" field is the field itself
      var one = FieldMetrics.contextUse(s, data, schedule, 64, 1, new int[] {60}, 9);
      assertThat(one.get(0).swapped()).isEqualTo(one.get(0).own());
    }
  }
}
