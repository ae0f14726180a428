package dev.kiln.diffusion.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.diffusion.arch.MlpDenoiserProvider;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.Objective;
import dev.kiln.train.Checkpoint;
import dev.kiln.inference.ForwardSession;
import dev.kiln.train.LrSchedule;
import dev.kiln.train.OptimizerConfig;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainGraph;
import dev.kiln.train.TrainStep;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainerConfig;
import dev.kiln.train.TrainingRun;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootTaskTest {

  @TempDir
  Path dir;

  private static final long SEED = 5;

  /** The BOOT training graph of {@code arch} with its weights (student perturbed away from the teacher). */
  private record Setup(BootTask task, Architecture arch, Graph graph, Objective objective, Weights weights) {
    TrainStep compile() {
      return TrainStep.compile(new TrainGraph(graph, objective.loss(), objective.metrics(), objective.trainable()),
          TinyTeachers.CPU, Map.of("N", (long) task.batchSize()), weights);
    }
  }

  private Setup toy(int batch, int gridSteps) throws Exception {
    Path file = TinyTeachers.write(TinyTeachers.toy(), new long[] {2}, 0, dir.resolve("toy.onnx"), 11);
    return setup(TinyTeachers.toy(), new BootTaskConfig(file.toString(), batch, gridSteps, null, null, null));
  }

  private Setup guidedDigits(double guidance) throws Exception {
    Path file = TinyTeachers.write(TinyTeachers.digits(), new long[] {1, 4, 4}, 3, dir.resolve("digits.onnx"), 12);
    return setup(TinyTeachers.digits(), new BootTaskConfig(file.toString(), 6, 4, guidance, 0.5, null));
  }

  private Setup setup(Architecture arch, BootTaskConfig config) {
    BootTask task = BootTask.load(config);
    Graph g = new Graph("boot");
    Objective o = task.objective(g, arch);
    return new Setup(task, arch, g, o, Weights.initialize(g, 0));
  }

  private static void perturbStudent(Weights w) {
    SplittableRandom rng = new SplittableRandom(8);
    w.asMap().forEach((name, t) -> {
      if (!name.startsWith("teacher.")) {
        for (int i = 0; i < t.size(); i++) {
          t.set(i, t.get(i) + 0.05 * rng.nextGaussian());
        }
      }
    });
  }

  private static Weights part(Weights w, boolean teacher) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    w.asMap().forEach((name, t) -> {
      if (name.startsWith("teacher.") == teacher) {
        m.put(teacher ? name.substring("teacher.".length()) : name, t);
      }
    });
    return Weights.of(m);
  }

  @Test
  void studentAndTeacherStartFromTheTeacherFile() throws Exception {
    Setup s = toy(4, 4);
    Teacher teacher = s.task().teacher();
    assertThat(s.weights().asMap()).isNotEmpty();
    s.weights().asMap().forEach((name, t) -> {
      String source = name.startsWith("teacher.") ? name.substring("teacher.".length()) : name;
      assertThat(t.contentEquals(teacher.weight(source))).as("%s equals the teacher's %s", name, source).isTrue();
    });
    assertThat(s.objective().trainable()).extracting(Value::name).noneMatch(n -> n.startsWith("teacher."))
        .hasSize(s.graph().parameters().size() / 2);
  }

  @Test
  void lossIsTheBootstrapAndBoundaryObjective() throws Exception {
    assertLossMatchesHost(toy(8, 4), 1);
  }

  @Test
  void guidedTeacherTargetCombinesConditionalAndUnconditional() throws Exception {
    assertLossMatchesHost(guidedDigits(2.5), 2.5);
  }

  private void assertLossMatchesHost(Setup s, double guidance) {
    perturbStudent(s.weights());
    int classes = s.task().teacher().numClasses();
    try (TrainStep step = s.compile();
        ModelForward student = new ModelForward(TinyTeachers.CPU, s.arch(), part(s.weights(), false), classes, 1);
        ModelForward teacher = new ModelForward(TinyTeachers.CPU, s.arch(), part(s.weights(), true), classes,
            guidance)) {
      Map<String, Tensor> f = step.feeds();
      long stepIndex = 1;
      do {
        s.task().fill(SEED, stepIndex++, f);
      } while (boundaryRows(f.get(BootTask.COEFFICIENTS)) == 0);
      double loss = step.run();
      double expected = hostLoss(f, student, targets(f, student, teacher));
      assertThat(loss).isCloseTo(expected, within(1e-4 * Math.abs(expected)));
      assertThat(step.metric("boundary_loss")).as("the boundary term is exercised").isGreaterThan(0);
    }
  }

  /**
   * With boundary rows of their own, every step's loss is the mean bootstrap term over the other draws
   * plus λ times the mean boundary term over those rows, each computed on the host from the frozen targets
   * without the fed weight columns.
   */
  @Test
  void ownBoundaryRowsGiveMeanBootstrapPlusLambdaTimesMeanBoundary() throws Exception {
    Path file = TinyTeachers.write(TinyTeachers.toy(), new long[] {2}, 0, dir.resolve("toy.onnx"), 11);
    double lambda = 0.7;
    int b = 8;
    int own = 3;
    Setup s = setup(TinyTeachers.toy(), new BootTaskConfig(file.toString(), b, 4, null, lambda, own));
    perturbStudent(s.weights());
    SignalGrid grid = s.task().grid();
    try (TrainStep step = s.compile();
        ModelForward student = new ModelForward(TinyTeachers.CPU, s.arch(), part(s.weights(), false), 0, 1);
        ModelForward teacher = new ModelForward(TinyTeachers.CPU, s.arch(), part(s.weights(), true), 0, 1)) {
      Map<String, Tensor> f = step.feeds();
      for (long stepIndex = 1; stepIndex <= 3; stepIndex++) {
        s.task().fill(SEED, stepIndex, f);
        assertThat(boundaryRows(f.get(BootTask.COEFFICIENTS))).as("boundary rows in step %d", stepIndex)
            .isEqualTo(2 * own);
        double[] t = f.get("t").toDoubleArray();
        for (int i = 0; i < own; i++) {
          assertThat(t[i]).as("boundary row %d starts at the noise end", i).isEqualTo(grid.timestep(0));
        }
        double loss = step.run();
        Targets frozen = targets(f, student, teacher);
        double[] out = studentOut(f, student);
        int d = 2;
        double bootstrap = 0;
        double boundary = 0;
        for (int i = 0; i < b; i++) {
          int k = grid.steps() - 1;
          while (k > 0 && grid.timestep(k) != t[i]) {
            k--;
          }
          double bs = 0;
          double bc = 0;
          for (int j = 0; j < d; j++) {
            int e = i * d + j;
            bs += Math.pow(out[b * d + e] - frozen.bootstrap()[e], 2) / d;
            bc += Math.pow(out[e] - frozen.f()[e], 2) / d;
          }
          if (i < own) {
            boundary += bc / own;
          } else {
            bootstrap += bs / Math.pow(grid.delta(k), 2) / (b - own);
          }
        }
        double expected = bootstrap + lambda * boundary;
        assertThat(loss).isCloseTo(expected, within(1e-4 * Math.abs(expected)));
      }
    }
  }

  @Test
  void boundaryRowsMustLeaveRoomForBootstrapDraws() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BootTaskConfig("t.onnx", 4, 4, null, null, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("boundary_rows").hasMessageContaining("4");
  }

  private static int boundaryRows(Tensor coef) {
    int n = 0;
    for (int i = 0; i < coef.dim(0); i++) {
      n += coef.get(i * 7 + 4) > 0 ? 1 : 0;
    }
    return n;
  }

  /** The targets of one batch: the teacher's x̂₀ f at x̂_t and the bootstrap target, both constants. */
  private record Targets(double[] f, double[] bootstrap) {}

  private static Targets targets(Map<String, Tensor> feeds, ModelForward student, ModelForward teacher) {
    Tensor x = feeds.get("x");
    int rows = (int) x.dim(0);
    int b = rows / 2;
    int d = x.size() / rows;
    double[] out = studentOut(feeds, student);
    double[] coef = feeds.get(BootTask.COEFFICIENTS).toDoubleArray();
    double[] xhat = new double[b * d];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < d; j++) {
        xhat[i * d + j] = coef[i * 7] * out[i * d + j] + coef[i * 7 + 1] * x.get(i * d + j);
      }
    }
    long[] half = x.shape().clone();
    half[0] = b;
    long[] labels = feeds.containsKey("label") ? Arrays.copyOf(feeds.get("label").toLongArray(), b) : null;
    double[] tout = teacher.run(xhat, half, Arrays.copyOf(feeds.get("t").toDoubleArray(), b), labels);
    double[] f = new double[b * d];
    double[] target = new double[b * d];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < d; j++) {
        int k = i * d + j;
        f[k] = coef[i * 7 + 5] * xhat[k] + coef[i * 7 + 6] * tout[k];
        target[k] = out[k] + coef[i * 7 + 2] * (f[k] - out[k]);
      }
    }
    return new Targets(f, target);
  }

  private static double[] studentOut(Map<String, Tensor> feeds, ModelForward student) {
    Tensor x = feeds.get("x");
    long[] labels = feeds.containsKey("label") ? feeds.get("label").toLongArray() : null;
    return student.run(x.toDoubleArray(), x.shape(), feeds.get("t").toDoubleArray(), labels);
  }

  /**
   * The objective of {@link BootTask}'s javadoc in double precision: (1/δ²)·mean‖g(ε, s) − target‖² plus
   * the boundary weight times mean‖g(ε, t) − f‖², averaged over the noise draws.
   */
  private static double hostLoss(Map<String, Tensor> feeds, ModelForward student, Targets frozen) {
    Tensor x = feeds.get("x");
    int b = (int) x.dim(0) / 2;
    int d = x.size() / (2 * b);
    double[] out = studentOut(feeds, student);
    double[] coef = feeds.get(BootTask.COEFFICIENTS).toDoubleArray();
    double total = 0;
    for (int i = 0; i < b; i++) {
      double bs = 0;
      double bc = 0;
      for (int j = 0; j < d; j++) {
        int k = i * d + j;
        double gs = out[b * d + k];
        bs += (gs - frozen.bootstrap()[k]) * (gs - frozen.bootstrap()[k]) / d;
        bc += (out[k] - frozen.f()[k]) * (out[k] - frozen.f()[k]) / d;
      }
      total += bs * coef[i * 7 + 3] + bc * coef[i * 7 + 4];
    }
    return total / b;
  }

  /**
   * The gradient is that of the loss with the targets held fixed (stop-gradient on g(ε, t) inside x̂_t and
   * the bootstrap target), checked against central differences of the host objective.
   */
  @Test
  void gradientTreatsTheTargetsAsConstants() throws Exception {
    Setup s = toy(8, 4);
    perturbStudent(s.weights());
    try (TrainStep step = s.compile();
        ModelForward student = new ModelForward(TinyTeachers.CPU, s.arch(), part(s.weights(), false), 0, 1);
        ModelForward teacher = new ModelForward(TinyTeachers.CPU, s.arch(), part(s.weights(), true), 0, 1)) {
      Map<String, Tensor> f = step.feeds();
      long stepIndex = 1;
      do {
        s.task().fill(SEED, stepIndex++, f);
      } while (boundaryRows(f.get(BootTask.COEFFICIENTS)) == 0);
      step.run();
      Targets frozen = targets(f, student, teacher);
      double h = 1e-2;
      for (String name : new String[] {"mlp.0.weight", "mlp.1.bias", "mlp.2.weight"}) {
        Tensor p = s.weights().get(name);
        for (int i = 0; i < 3; i++) {
          double v = p.get(i);
          p.set(i, v + h);
          double up = hostLoss(f, student, frozen);
          p.set(i, v - h);
          double down = hostLoss(f, student, frozen);
          p.set(i, v);
          double numeric = (up - down) / (2 * h);
          double analytic = step.gradients().get(name).get(i);
          assertThat(analytic).as("d loss / d %s[%d]", name, i)
              .isCloseTo(numeric, within(2e-2 * Math.abs(numeric) + 1e-4));
        }
      }
    }
  }

  @Test
  void trainingTheStudentLeavesTheTeacherUntouched() throws Exception {
    Setup s = toy(8, 4);
    Weights before = s.weights().copy();
    try (TrainStep step = s.compile()) {
      new Trainer(step, OptimizerConfig.adam(1e-3), LrSchedule.constant(), TrainerConfig.steps(5),
          (i, feeds) -> s.task().fill(SEED, i, feeds), dir.resolve("run"), SEED, Map.of()).progress(null, "t").fit();
    }
    s.weights().asMap().forEach((name, t) -> {
      boolean same = t.contentEquals(before.get(name));
      assertThat(same).as("%s %s", name, name.startsWith("teacher.") ? "is frozen" : "is trained")
          .isEqualTo(name.startsWith("teacher."));
    });
  }

  /**
   * No data: the graph reads only x, t and per-row coefficients, and every row of x a step is fed is
   * the step's noise draw from {@code Seeds.rng(seed, "boot-noise", step)}, twice; on that alone the
   * BOOT loss falls.
   */
  @Test
  void trainsOnSeededNoiseAlone() throws Exception {
    Setup s = toy(32, 8);
    assertThat(s.graph().inputs().stream().map(Value::name).collect(Collectors.toSet()))
        .isEqualTo(Set.of("x", "t", BootTask.COEFFICIENTS));
    int steps = s.task().grid().steps();
    try (TrainStep step = s.compile()) {
      Map<String, Tensor> f = step.feeds();
      s.task().fill(SEED, 100_000, f);
      double before = step.run();
      Trainer.BatchSource checked = (i, feeds) -> {
        s.task().fill(SEED, i, feeds);
        Tensor x = feeds.get("x");
        SplittableRandom rng = Seeds.rng(SEED, "boot-noise", i);
        for (int r = 0; r < 32; r++) {
          rng.nextInt(steps);
          for (int j = 0; j < 2; j++) {
            float e = (float) rng.nextGaussian();
            assertThat(x.getFloat(r * 2 + j)).isEqualTo(e);
            assertThat(x.getFloat((32 + r) * 2 + j)).isEqualTo(e);
          }
        }
      };
      new Trainer(step, OptimizerConfig.adam(1e-3), LrSchedule.constant(), TrainerConfig.steps(150), checked,
          dir.resolve("run"), SEED, Map.of()).progress(null, "t").fit();
      s.task().fill(SEED, 100_000, f);
      double after = step.run();
      assertThat(after).as("BOOT loss on a fixed noise batch after 150 steps (before: %s)", before)
          .isLessThan(0.5 * before);
    }
  }

  @Test
  void exportedStudentIsTheTrainedArchitectureWithBootSamplerSettings() throws Exception {
    Path teacher = TinyTeachers.write(TinyTeachers.toy(), new long[] {2}, 0, dir.resolve("toy.onnx"), 11);
    String json = """
        {"name": "boot-test", "seed": 1,
         "task": {"type": "boot", "teacher": "%s", "batch_size": 8, "grid_steps": 4},
         "architecture": {"type": "mlp-denoiser", "data_dim": 2, "hidden": 16, "depth": 2, "time_embedding": 8},
         "optimizer": {"type": "adam", "lr": 0.001},
         "trainer": {"steps": 3}}
        """.formatted(teacher.toString().replace("\\", "\\\\"));
    Recipe recipe = Recipe.parse(json, "boot-test.json");
    TrainingRun run = new TrainingRun(TinyTeachers.CPU, Map.of("boot", new BootTaskProvider()),
        Map.of("mlp-denoiser", new MlpDenoiserProvider()));
    Path runDir = dir.resolve("run");
    run.train(recipe, runDir, null);
    Path model = run.export(runDir, runDir.resolve("model.onnx"), false);
    Checkpoint ckpt = Checkpoint.read(runDir.resolve(Trainer.CHECKPOINT));
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", Tensor.of(new float[] {0.3f, -1.2f, 2f, 0.1f, -0.5f, 0.7f}, 3, 2));
    in.put("t", Tensor.of(new float[] {-1, 500, 1023}, 3));
    try (ForwardSession training = ForwardSession.compile(run.build(recipe).graph(), TinyTeachers.CPU,
            ckpt.weights(), "out");
        Session exported = TinyTeachers.CPU.load(model);
        GenerativeModel student = GenerativeModel.load(model, TinyTeachers.CPU)) {
      assertThat(exported.inputNames()).containsExactlyInAnyOrder("x", "t");
      float[] a = training.run(in).get("out").toFloatArray();
      float[] e = exported.run(in).get("out").toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertThat(e[i]).isCloseTo(a[i], within(1e-5f));
      }
      BootSampler sampler = (BootSampler) student.sampler(new BootSamplerProvider(), null, "boot");
      assertThat(sampler.config().finalTimestep()).isEqualTo(SignalGrid.CLEAN_TIMESTEP);
      assertThat(student.metadata()).containsEntry("kiln_task", "boot").containsEntry("boot_grid_steps", "4");
      Tensor samples = student.sample(sampler, student.denoiser(null, 1), 5, 1, 3);
      assertThat(samples.shape()).containsExactly(5, 2);
      assertThat(samples.dtype()).isEqualTo(DType.FLOAT);
    }
  }
}
