package dev.kiln.diffusion.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.diffusion.arch.MlpDenoiserProvider;
import dev.kiln.diffusion.arch.UNetProvider;
import dev.kiln.graph.DType;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.TaskProvider;
import dev.kiln.train.Checkpoint;
import dev.kiln.inference.ForwardSession;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported model computes what the training graph computes, to 1e-5. */
class ExportParityTest {

  @TempDir
  Path dir;

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final Map<String, TaskProvider<?>> TASKS = Map.of("diffusion", new DiffusionTaskProvider());
  private static final Map<String, ArchitectureProvider<?>> ARCHS = Map.of("mlp-denoiser", new MlpDenoiserProvider(),
      "unet", new UNetProvider());

  private static final String TOY = """
      {"name": "toy", "seed": 1,
       "task": {"type": "diffusion", "data": "moons", "batch_size": 64},
       "architecture": {"type": "mlp-denoiser", "hidden": 64, "depth": 2},
       "trainer": {"steps": 200}}
      """;

  private static final String DIGITS = """
      {"name": "digits", "seed": 2,
       "task": {"type": "diffusion", "data": "mnist", "batch_size": 8, "class_conditional": true,
                "schedule": {"prediction_type": "v_prediction", "beta_schedule": "squaredcos_cap_v2"}},
       "architecture": {"type": "unet", "base": 8, "multipliers": [1, 2], "groups": 4, "num_classes": 10},
       "trainer": {"steps": 3}}
      """;

  @Test
  void mlpDenoiserExportMatchesTrainingGraph() throws Exception {
    assertParity(Recipe.parse(TOY, "toy.json"), new long[] {2});
  }

  @Test
  void conditionalUNetExportMatchesTrainingGraph() throws Exception {
    assertParity(Recipe.parse(DIGITS, "digits.json"), new long[] {1, 28, 28});
  }

  private void assertParity(Recipe recipe, long[] sampleShape) throws Exception {
    TrainingRun run = new TrainingRun(CPU, TASKS, ARCHS);
    run.train(recipe, dir, null);
    Path model = run.export(dir, dir.resolve("model.onnx"), false);
    TrainingRun.Built b = run.build(recipe);
    Checkpoint ckpt = Checkpoint.read(dir.resolve(Trainer.CHECKPOINT));
    int n = 5;
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = n;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    Tensor x = Tensor.zeros(DType.FLOAT, shape);
    SplittableRandom rng = new SplittableRandom(4);
    for (int i = 0; i < x.size(); i++) {
      x.set(i, rng.nextGaussian());
    }
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", x);
    in.put("t", Tensor.of(new float[] {0, 10, 250, 700, 999}, n));
    if (b.architecture().inputs().stream().anyMatch(i -> i.name().equals("label"))) {
      in.put("label", Tensor.ofLongs(new long[] {0, 3, 9, 10, 5}, n));
    }
    try (ForwardSession training = ForwardSession.compile(b.graph(), CPU, ckpt.weights(), "out");
        Session exported = CPU.load(model)) {
      float[] a = training.run(in).get("out").toFloatArray();
      float[] e = exported.run(in).get("out").toFloatArray();
      assertThat(e).hasSameSizeAs(a);
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - e[i]));
      }
      assertThat(worst).as("largest |training − exported|").isLessThanOrEqualTo(1e-5);
      assertThat(java.util.Arrays.stream(toDouble(a)).map(Math::abs).sum()).as("outputs are not all zero")
          .isGreaterThan(0);
    }
    TestModels.dump(recipe.name(), model);
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
