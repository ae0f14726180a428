package dev.kiln.diffusion.boot;

import dev.kiln.spi.process.PredictionType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.train.LrSchedule;
import dev.kiln.train.OptimizerConfig;
import dev.kiln.train.TrainGraph;
import dev.kiln.train.TrainStep;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Progressive distillation (Salimans and Ho, arXiv 2202.00512, Algorithm 2), the baseline BOOT is compared
 * with: a student that takes n/2 DDIM steps learns to land, in one step, where its teacher lands in two;
 * it then becomes the teacher of the next round, 32 → 16 → … → 1 steps. From a noisy training example
 * {@code x_t = α_t·x + σ_t·ε} at a student node t, the teacher steps t → t' → t'' (DDIM, η = 0) and the
 * student regresses, in x̂₀ space with the truncated-SNR weight max(α²/σ², 1),
 *
 * <pre>
 *   x̃ = (x_{t''} − (σ_{t''}/σ_t)·x_t) / (α_{t''} − (σ_{t''}/σ_t)·α_t)
 * </pre>
 *
 * the x̂₀ whose single DDIM step from x_t reaches x_{t''}. Unlike BOOT it needs training data. The first
 * round's teacher is the guided teacher (weight w), later teachers are the previous students, which are
 * conditional models sampled without guidance. Each student starts from its teacher's weights; the
 * teacher runs on the host side of the step, the student in a compiled training step.
 */
public final class ProgressiveDistillation {

  /** Input of the regression target x̃ [N, ...]. */
  static final String TARGET = "pd_target";
  /** Per-row coefficients: x̂₀ = a·x + b·out, and the loss weight. */
  static final String COEFFICIENTS = "pd_coefficients";

  /**
   * @param startSteps the original teacher's DDIM steps (a power of two)
   * @param roundSteps optimizer steps per round
   * @param batchSize training examples per step
   * @param lr Adam learning rate (cosine decay within each round)
   * @param guidance classifier-free guidance weight of the original teacher (1: none)
   */
  public record Settings(int startSteps, long roundSteps, int batchSize, double lr, double guidance) {
    public Settings {
      if (startSteps < 2 || Integer.bitCount(startSteps) != 1) {
        throw new IllegalArgumentException("progressive distillation needs start_steps a power of two >= 2, got "
            + startSteps);
      }
      if (roundSteps < 1 || batchSize < 1 || !(lr > 0)) {
        throw new IllegalArgumentException("progressive distillation needs round_steps, batch_size >= 1 and lr > 0");
      }
    }
  }

  /** Clean training examples. */
  @FunctionalInterface
  public interface CleanBatches {
    /** Fills {@code x0} ([batch, ...] row-major) for 1-based {@code step}; returns their labels or null. */
    long[] fill(long step, double[] x0);
  }

  /**
   * One round's result.
   *
   * @param steps the DDIM steps the student takes
   * @param student its weights
   * @param result the training run
   */
  public record Round(int steps, Weights student, Trainer.Result result) {}

  private final OrtBackend backend;
  private final Architecture architecture;
  private final Teacher teacher;
  private final Settings settings;
  private final PredictionType prediction;

  public ProgressiveDistillation(OrtBackend backend, Architecture architecture, Teacher teacher, Settings settings) {
    this.backend = backend;
    this.architecture = architecture;
    this.teacher = teacher;
    this.settings = settings;
    this.prediction = teacher.ddim().config().schedule().predictionType();
    int trainSteps = teacher.ddim().config().schedule().numTrainTimesteps();
    if (trainSteps % settings.startSteps() != 0) {
      throw new IllegalArgumentException("progressive distillation needs nested DDIM grids: num_train_timesteps ("
          + trainSteps + ") must be divisible by start_steps (" + settings.startSteps() + ")");
    }
  }

  /** Runs every round, each in {@code dir/round-<steps>}; returns them in order (the last takes one step). */
  public List<Round> run(CleanBatches data, Path dir, long seed, PrintStream log) throws IOException {
    List<String> names = parameterNames();
    Weights current = teacher.weightsFor(names);
    double guidance = settings.guidance();
    List<Round> rounds = new ArrayList<>();
    for (int steps = settings.startSteps() / 2; steps >= 1; steps /= 2) {
      Round r = round(current, guidance, steps, data, dir.resolve("round-" + steps), seed, log);
      rounds.add(r);
      current = r.student();
      guidance = 1;
    }
    return rounds;
  }

  private Round round(Weights teacherWeights, double guidance, int steps, CleanBatches data, Path dir, long seed,
      PrintStream log) throws IOException {
    SignalGrid student = SignalGrid.of(teacher.ddim(), steps);
    SignalGrid twice = SignalGrid.of(teacher.ddim(), 2 * steps);
    Graph g = new Graph("pd-" + steps);
    Map<String, Value> in = architecture.declareInputs(g);
    Value x = in.get("x");
    Value out = architecture.build(g, in).get("out");
    g.output("out", out);
    Value target = g.input(TARGET, x.shape());
    Value coef = g.input(COEFFICIENTS, Shape.batched("N", 3));
    int rank = x.rank();
    Value x0 = g.add(g.mul(BootTask.column(g, coef, 0, rank), x), g.mul(BootTask.column(g, coef, 1, rank), out));
    Value perRow = BootTask.rowMeanSquare(g, g.sub(x0, target));
    Value loss = g.meanAll(g.mul(perRow, g.reshape(BootTask.column(g, coef, 2, 2), -1)));
    Weights weights = teacherWeights.copy();
    long[] shape = new long[rank];
    shape[0] = settings.batchSize();
    for (int i = 1; i < rank; i++) {
      shape[i] = x.shape().dim(i).size();
    }
    TrainerConfig tc = TrainerConfig.steps(settings.roundSteps())
        .withLogEvery((int) Math.max(1, settings.roundSteps() / 5));
    try (ModelForward t = new ModelForward(backend, architecture, teacherWeights, teacher.numClasses(), guidance);
        TrainStep step = TrainStep.compile(TrainGraph.of(g, loss), backend, Map.of("N", (long) settings.batchSize()),
            weights)) {
      Trainer trainer = new Trainer(step, OptimizerConfig.adam(settings.lr()),
          LrSchedule.cosine((int) Math.min(100, settings.roundSteps() / 10), 0.05), tc,
          (s, feeds) -> fill(t, student, twice, data, shape, seed, s, feeds), dir, seed, Map.of());
      Trainer.Result result = trainer.progress(log, "pd " + 2 * steps + "→" + steps).fit();
      return new Round(steps, weights, result);
    }
  }

  private void fill(ModelForward teacherModel, SignalGrid student, SignalGrid twice, CleanBatches data,
      long[] shape, long seed, long s, Map<String, Tensor> feeds) {
    int b = (int) shape[0];
    int d = feeds.get("x").size() / b;
    double[] clean = new double[b * d];
    long[] labels = data.fill(s, clean);
    SplittableRandom rng = Seeds.rng(seed, "pd-noise", student.steps(), s);
    int[] node = new int[b];
    double[] x = new double[b * d];
    for (int i = 0; i < b; i++) {
      node[i] = rng.nextInt(student.steps());
      double a = student.alpha(node[i]);
      double sg = student.sigma(node[i]);
      for (int j = 0; j < d; j++) {
        x[i * d + j] = a * clean[i * d + j] + sg * rng.nextGaussian();
      }
    }
    double[] mid = ddimStep(teacherModel, twice, x, shape, node, 0, labels);
    double[] end = ddimStep(teacherModel, twice, mid, shape, node, 1, labels);
    Tensor fx = feeds.get("x");
    Tensor ft = feeds.get("t");
    Tensor targets = feeds.get(TARGET);
    Tensor coef = feeds.get(COEFFICIENTS);
    Tensor label = feeds.get("label");
    for (int i = 0; i < b; i++) {
      int k = node[i];
      double[] ab = student.x0Coefficients(prediction, k);
      double a = student.alpha(k);
      double sg = student.sigma(k);
      for (int j = 0; j < d; j++) {
        fx.set(i * d + j, x[i * d + j]);
        targets.set(i * d + j, target(x[i * d + j], a, sg, end[i * d + j], twice.alpha(2 * k + 2),
            twice.sigma(2 * k + 2)));
      }
      ft.set(i, student.timestep(k));
      coef.set(3 * i, ab[0]);
      coef.set(3 * i + 1, ab[1]);
      coef.set(3 * i + 2, Math.max(a * a / (sg * sg), 1));
      if (label != null) {
        label.set(i, labels[i]);
      }
    }
  }

  /**
   * The x̂₀ whose DDIM step from {@code x_t} (at α_t, σ_t) lands on {@code x_s} (at α_s, σ_s):
   * {@code (x_s − (σ_s/σ_t)·x_t) / (α_s − (σ_s/σ_t)·α_t)}.
   */
  static double target(double xt, double alphaT, double sigmaT, double xs, double alphaS, double sigmaS) {
    double ratio = sigmaS / sigmaT;
    return (xs - ratio * xt) / (alphaS - ratio * alphaT);
  }

  /**
   * One teacher DDIM step per row, from node {@code 2·node + half} of the fine grid to the next:
   * {@code x_s = α_s·x̂₀ + σ_s·(x_t − α_t·x̂₀)/σ_t}.
   */
  private double[] ddimStep(ModelForward model, SignalGrid fine, double[] x, long[] shape, int[] node, int half,
      long[] labels) {
    int b = node.length;
    int d = x.length / b;
    double[] t = new double[b];
    for (int i = 0; i < b; i++) {
      t[i] = fine.timestep(2 * node[i] + half);
    }
    double[] out = model.run(x, shape, t, labels);
    double[] next = new double[x.length];
    for (int i = 0; i < b; i++) {
      int k = 2 * node[i] + half;
      double[] ab = fine.x0Coefficients(prediction, k);
      double at = fine.alpha(k);
      double st = fine.sigma(k);
      double as = fine.alpha(k + 1);
      double ss = fine.sigma(k + 1);
      for (int j = 0; j < d; j++) {
        int idx = i * d + j;
        double x0 = ab[0] * x[idx] + ab[1] * out[idx];
        next[idx] = as * x0 + ss * (x[idx] - at * x0) / st;
      }
    }
    return next;
  }

  private List<String> parameterNames() {
    Graph g = new Graph("names");
    architecture.build(g, architecture.declareInputs(g));
    return g.parameters().stream().map(Value::name).toList();
  }
}
