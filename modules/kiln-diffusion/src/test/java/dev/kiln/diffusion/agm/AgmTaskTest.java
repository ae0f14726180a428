package dev.kiln.diffusion.agm;

import dev.kiln.inference.GenerativeModel;
import dev.kiln.spi.process.Bridge;
import dev.kiln.spi.process.AgmProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.diffusion.task.DiffusionTaskProvider;
import dev.kiln.graph.DType;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.TaskProvider;
import dev.kiln.train.Checkpoint;
import dev.kiln.inference.ForwardSession;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgmTaskTest {

  @TempDir
  Path dir;

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final Map<String, TaskProvider<?>> TASKS = Map.of("agm", new AgmTaskProvider(), "diffusion",
      new DiffusionTaskProvider());
  private static final Map<String, ArchitectureProvider<?>> ARCHS = Map.of("agm-mlp", new AgmMlpProvider());

  private static final String TOY = """
      {"name": "agm-toy", "seed": 1,
       "task": {"type": "agm", "data": "8gaussians", "batch_size": 128},
       "architecture": {"type": "agm-mlp", "hidden": 64, "depth": 2},
       "optimizer": {"type": "adamw", "lr": 0.002, "weight_decay": 0.0},
       "trainer": {"steps": 150, "log_every": 25}}
      """;

  @Test
  void trainingInputsAndLabelsInvertToTheDataBatch() {
    AgmTask task = new AgmTask(new AgmTaskConfig("8gaussians", 16, null, null, null));
    Map<String, Tensor> feeds = new HashMap<>();
    feeds.put("x", Tensor.zeros(DType.FLOAT, 16, 2));
    feeds.put("v", Tensor.zeros(DType.FLOAT, 16, 2));
    feeds.put("t", Tensor.zeros(DType.FLOAT, 16));
    feeds.put("target", Tensor.zeros(DType.FLOAT, 16, 2));
    feeds.put("weight", Tensor.zeros(DType.FLOAT, 16, 1));
    task.fill(3, 7, feeds);
    // the same seed and step give the diffusion task's clean batch
    var clean = new dev.kiln.diffusion.task.DiffusionTask(new dev.kiln.diffusion.task.DiffusionTaskConfig(
        "8gaussians", 16, new dev.kiln.spi.process.ScheduleConfig(null, null, null, null, null,
            dev.kiln.spi.process.PredictionType.SAMPLE, null), false, null));
    Map<String, Tensor> c = new HashMap<>();
    c.put("x", Tensor.zeros(DType.FLOAT, 16, 2));
    c.put("t", Tensor.zeros(DType.FLOAT, 16));
    c.put("target", Tensor.zeros(DType.FLOAT, 16, 2));
    clean.fill(3, 7, c);
    for (int i = 0; i < 16; i++) {
      double t = feeds.get("t").get(i);
      // t was stored in float32: recompute the bridge at that time
      Bridge b = task.process().at(t);
      assertThat(feeds.get("weight").get(i)).isCloseTo(1 / (1 - t), offset(1e-3 / (1 - t)));
      for (int j = 0; j < 2; j++) {
        int e = i * 2 + j;
        double f = feeds.get("target").get(e) * b.normalizer();
        double x1 = b.estimateX1(f, feeds.get("x").get(e), feeds.get("v").get(e));
        assertThat(x1).as("x̂₁ of example %d, coordinate %d (t=%s)", i, j, t)
            .isCloseTo(c.get("target").get(e), offset(1e-5 * (1 + 1 / (1 - t))));
      }
    }
  }

  @Test
  void exportedModelMatchesTrainingGraphAndCarriesItsProcess() throws Exception {
    TrainingRun run = new TrainingRun(CPU, TASKS, ARCHS);
    Recipe recipe = Recipe.parse(TOY, "toy.json").with("trainer.steps", Configs.mapper().getNodeFactory()
        .numberNode(30));
    Trainer.Result result = run.train(recipe, dir, null);
    assertThat(result.diverged()).isFalse();
    Path model = run.export(dir, dir.resolve("agm.onnx"), false);
    TrainingRun.Built b = run.build(recipe);
    Checkpoint ckpt = Checkpoint.read(dir.resolve(Trainer.CHECKPOINT));
    SplittableRandom rng = new SplittableRandom(4);
    Tensor x = Tensor.zeros(DType.FLOAT, 5, 2);
    Tensor v = Tensor.zeros(DType.FLOAT, 5, 2);
    for (int i = 0; i < 10; i++) {
      x.set(i, rng.nextGaussian());
      v.set(i, rng.nextGaussian());
    }
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", x);
    in.put("v", v);
    in.put("t", Tensor.of(new float[] {0, 0.1f, 0.5f, 0.9f, 0.999f}, 5));
    try (ForwardSession training = ForwardSession.compile(b.graph(), CPU, ckpt.weights(), "out");
        Session exported = CPU.load(model)) {
      assertThat(exported.inputNames()).containsExactlyInAnyOrder("x", "v", "t");
      float[] a = training.run(in).get("out").toFloatArray();
      float[] e = exported.run(in).get("out").toFloatArray();
      double worst = 0;
      double total = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - e[i]));
        total += Math.abs(a[i]);
      }
      assertThat(worst).as("largest |training − exported|").isLessThanOrEqualTo(1e-5);
      assertThat(total).as("the trained output is not zero").isGreaterThan(0);
    }
    try (GenerativeModel loaded = GenerativeModel.load(model, CPU)) {
      assertThat(AgmSamplerConfig.of(loaded).process()).isEqualTo(AgmProcess.defaults());
      assertThat(loaded.stateSpace()).isEqualTo(dev.kiln.spi.StateSpace.PHASE_SPACE);
      assertThat(loaded.sampleShape()).containsExactly(2);
      Sampler s = loaded.sampler(new GddimProvider(), Configs.mapper().createObjectNode()
          .put("t_hop", 0.9), "test");
      assertThat(((GddimSampler) s).config().tHop()).isEqualTo(0.9);
      Tensor samples = loaded.sample(s, loaded.denoiser(), 64, 5, 1);
      assertThat(samples.shape()).containsExactly(64, 2);
    }
  }

  @Test
  void lossFallsDuringTraining() throws Exception {
    Recipe r = Recipe.parse(TOY, "toy.json");
    TrainingRun run = new TrainingRun(CPU, TASKS, ARCHS);
    Recipe first = r.with("trainer.steps", Configs.mapper().getNodeFactory().numberNode(20));
    double early = run.train(first, dir.resolve("short"), null).finalLoss();
    double late = run.train(r, dir.resolve("long"), null).finalLoss();
    assertThat(late).as("mean loss over the last window: 150 steps vs 20").isLessThan(0.8 * early);
  }
}
