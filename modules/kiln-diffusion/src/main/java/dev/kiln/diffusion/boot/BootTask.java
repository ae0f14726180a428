package dev.kiln.diffusion.boot;

import java.util.Optional;
import dev.kiln.spi.DataIdentity;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.spi.process.PredictionType;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Objective;
import dev.kiln.spi.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * BOOT (Gu, Zhai, Zhang, Liu, Susskind, arXiv 2306.05544, §3): data-free distillation of a diffusion
 * teacher f into a one-step student g(ε, t) that predicts the signal y_t of the teacher's DDIM trajectory
 * started from noise ε. For consecutive nodes t > s of the teacher's n-step DDIM grid ({@link SignalGrid}):
 *
 * <pre>
 *   x̂_t  = α_t·sg[g(ε, t)] + σ_t·ε
 *   L_BS = (1/δ²)·‖ g(ε, s) − sg[ g(ε, t) + δ·(f(x̂_t, t) − g(ε, t)) ] ‖²,   δ = 1 − (σ_s·α_t)/(α_s·σ_t)
 *   L_BC = ‖ g(ε, T) − f(x̂_T, T) ‖²                                    (at the noise end, x̂_T ≈ ε)
 * </pre>
 *
 * with ε ~ N(0, I) and the interval uniform over the grid; the only data is noise. A class-conditional
 * teacher is distilled with classifier-free guidance, {@code f = f(∅) + w·(f(c) − f(∅))}, for one w; the
 * student reads the label. One sample is then {@code g(ε, −1)}, the clean end ({@link BootSampler}).
 *
 * <p>Student and teacher are two copies of the recipe's architecture in one training graph: the
 * student's parameters keep the architecture's names (so the student exports as an ordinary model), the
 * teacher's are prefixed {@code teacher.}, never trained, and loaded from the teacher file, which also
 * initialises the student. The graph's rows are the noise draws twice, {@code x = [ε; ε]} at times
 * {@code [t; s]}, so one student evaluation gives g(ε, t) and g(ε, s); the teacher runs on x̂_t (twice,
 * with and without the label, under guidance). Each step therefore runs the teacher once and the student
 * on both times in one ONNX Runtime session.
 *
 * <p>Report: {@code docs/reproductions/boot.md}.
 */
public final class BootTask implements Task {

  /** Scope of the frozen teacher's parameters. */
  public static final String TEACHER_SCOPE = "teacher";
  /** Per-row coefficients: α_t, σ_t, δ, 1/δ², boundary weight, and x̂₀ = a·x + b·out for the teacher. */
  public static final String COEFFICIENTS = "boot_coefficients";
  /** Labels for the teacher under guidance: the row's class, then "no class". */
  public static final String TEACHER_LABEL = "boot_teacher_label";

  private static final int ALPHA = 0;
  private static final int SIGMA = 1;
  private static final int DELTA = 2;
  private static final int BOOTSTRAP_WEIGHT = 3;
  private static final int BOUNDARY_WEIGHT = 4;
  private static final int X0_A = 5;
  private static final int X0_B = 6;
  private static final int COLUMNS = 7;

  private final BootTaskConfig config;
  private final Teacher teacher;
  private final SignalGrid grid;
  private final PredictionType prediction;

  public BootTask(BootTaskConfig config, Teacher teacher) {
    this.config = config;
    this.teacher = teacher;
    this.grid = SignalGrid.of(teacher.ddim(), config.gridSteps());
    this.prediction = teacher.ddim().config().schedule().predictionType();
    if (teacher.numClasses() == 0 && config.guidance() != 1) {
      throw new ConfigException("boot task: field `guidance` is " + config.guidance() + " but the teacher "
          + teacher.path() + " is unconditional");
    }
  }

  /** Reads the teacher named by the config. */
  public static BootTask load(BootTaskConfig config) {
    try {
      return new BootTask(config, Teacher.load(Path.of(config.teacher())));
    } catch (IOException e) {
      throw new ConfigException("boot task: field `teacher`: cannot read " + config.teacher() + ": "
          + e.getMessage());
    }
  }

  public BootTaskConfig config() {
    return config;
  }

  public Teacher teacher() {
    return teacher;
  }

  public SignalGrid grid() {
    return grid;
  }

  private boolean guided() {
    return teacher.numClasses() > 0 && config.guidance() != 1;
  }

  /** Rows of the training graph: every noise draw twice. */
  @Override
  public int batchSize() {
    return 2 * config.batchSize();
  }

  @Override
  public Objective objective(Graph g, Architecture architecture) {
    Map<String, Value> in = architecture.declareInputs(g);
    Value x = in.get("x");
    Value t = in.get("t");
    Shape expected = Shape.batched("N", teacher.sampleShape());
    if (x == null || t == null || !x.shape().equals(expected)) {
      throw new ConfigException("boot task: the architecture must read `x` " + expected + " and `t` like the teacher"
          + " " + teacher.path() + "; it reads " + in.keySet() + (x == null ? "" : " with x " + x.shape()));
    }
    boolean conditional = teacher.numClasses() > 0;
    if (conditional != in.containsKey("label")) {
      throw new ConfigException("boot task: the teacher has " + teacher.numClasses() + " classes but the"
          + " architecture " + (conditional ? "reads no" : "reads a") + " `label`");
    }
    Value out = architecture.build(g, in).get("out");
    g.output("out", out);
    Value coef = g.input(COEFFICIENTS, Shape.batched("N", COLUMNS));
    Value teacherLabel = guided() ? g.input(TEACHER_LABEL, DType.INT64, Shape.batched("N")) : null;
    int rank = x.rank();

    Value eps = half(g, x, 0);
    Value gt = half(g, out, 0);
    Value gs = half(g, out, 1);
    Value c = half(g, coef, 0);
    Value tt = half(g, t, 0);
    Value xhat = g.add(g.mul(column(g, c, ALPHA, rank), g.stopGradient(gt)), g.mul(column(g, c, SIGMA, rank), eps));

    Map<String, Value> teacherIn = new LinkedHashMap<>();
    if (guided()) {
      teacherIn.put("x", g.concat(0, xhat, xhat));
      teacherIn.put("t", g.concat(0, tt, tt));
      teacherIn.put("label", teacherLabel);
    } else {
      teacherIn.put("x", xhat);
      teacherIn.put("t", tt);
      if (conditional) {
        teacherIn.put("label", half(g, in.get("label"), 0));
      }
    }
    Value teacherOut;
    try (var s = g.scope(TEACHER_SCOPE)) {
      teacherOut = architecture.build(g, teacherIn).get("out");
    }
    if (guided()) {
      Value cond = half(g, teacherOut, 0);
      Value uncond = half(g, teacherOut, 1);
      teacherOut = g.add(uncond, g.mul(g.sub(cond, uncond), config.guidance()));
    }
    Value f = g.stopGradient(g.add(g.mul(column(g, c, X0_A, rank), xhat), g.mul(column(g, c, X0_B, rank), teacherOut)));
    Value target = g.stopGradient(g.add(gt, g.mul(column(g, c, DELTA, rank), g.sub(f, gt))));

    Value bootstrap = g.mul(rowMeanSquare(g, g.sub(gs, target)), g.reshape(column(g, c, BOOTSTRAP_WEIGHT, 2), -1));
    Value boundary = g.mul(rowMeanSquare(g, g.sub(gt, f)), g.reshape(column(g, c, BOUNDARY_WEIGHT, 2), -1));
    Value loss = g.meanAll(g.add(bootstrap, boundary));
    List<Value> student = g.trainableParameters().stream()
        .filter(p -> !p.name().startsWith(TEACHER_SCOPE + ".")).toList();
    g.afterInit(values -> values.replaceAll((name, v) -> {
      String source = name.startsWith(TEACHER_SCOPE + ".") ? name.substring(TEACHER_SCOPE.length() + 1) : name;
      double[] w = teacher.weight(source).toDoubleArray();
      if (w.length != v.length) {
        throw new ConfigException("boot task: parameter `" + name + "` has " + v.length + " values, the teacher's `"
            + source + "` " + w.length + ": the recipe's architecture differs from the teacher's");
      }
      return w;
    }));
    return new Objective(loss, Map.of("bootstrap_loss", g.meanAll(bootstrap), "boundary_loss", g.meanAll(boundary)),
        student);
  }

  /**
   * Rows {@code [ε; ε]} at times {@code [t; s]} for {@code rows/2} noise draws, each with an interval
   * (t, s) of the grid drawn uniformly and, for a conditional teacher, a class drawn uniformly. Every
   * number comes from the stream {@code Seeds.rng(seed, "boot-noise", step)}: no data is read.
   */
  @Override
  public void fill(long seed, long step, Map<String, Tensor> feeds) {
    Tensor x = feeds.get("x");
    Tensor t = feeds.get("t");
    Tensor coef = feeds.get(COEFFICIENTS);
    Tensor label = feeds.get("label");
    Tensor teacherLabel = feeds.get(TEACHER_LABEL);
    int rows = (int) x.dim(0);
    if (rows % 2 != 0) {
      throw new IllegalArgumentException("boot task: the training graph needs an even number of rows, got " + rows);
    }
    int b = rows / 2;
    int d = x.size() / rows;
    int steps = grid.steps();
    int classes = teacher.numClasses();
    SplittableRandom rng = Seeds.rng(seed, "boot-noise", step);
    int own = config.boundaryRows();
    // With boundary rows of their own, the bootstrap weights are rescaled so that the loss, a mean over all
    // draws, is the mean bootstrap term over its draws plus λ times the mean boundary term over its own.
    double bootstrapScale = own == 0 ? 1 : b / (double) (b - own);
    for (int i = 0; i < b; i++) {
      boolean boundaryRow = i < own;
      int k = boundaryRow ? 0 : rng.nextInt(steps);
      long cls = classes > 0 ? rng.nextInt(classes) : 0;
      for (int j = 0; j < d; j++) {
        double e = rng.nextGaussian();
        x.set(i * d + j, e);
        x.set((b + i) * d + j, e);
      }
      t.set(i, grid.timestep(k));
      t.set(b + i, grid.timestep(k + 1));
      double delta = grid.delta(k);
      double[] ab = grid.x0Coefficients(prediction, k);
      double[] row = new double[COLUMNS];
      row[ALPHA] = grid.alpha(k);
      row[SIGMA] = grid.sigma(k);
      row[DELTA] = delta;
      if (own > 0) {
        row[BOOTSTRAP_WEIGHT] = boundaryRow ? 0 : bootstrapScale / (delta * delta);
        row[BOUNDARY_WEIGHT] = boundaryRow ? config.boundaryWeight() * b / own : 0;
      } else {
        row[BOOTSTRAP_WEIGHT] = 1 / (delta * delta);
        // Only rows at the noise end carry the boundary term; × steps keeps its expected weight per draw.
        row[BOUNDARY_WEIGHT] = k == 0 ? config.boundaryWeight() * steps : 0;
      }
      row[X0_A] = ab[0];
      row[X0_B] = ab[1];
      for (int j = 0; j < COLUMNS; j++) {
        coef.set(i * COLUMNS + j, row[j]);
        coef.set((b + i) * COLUMNS + j, row[j]);
      }
      if (label != null) {
        label.set(i, cls);
        label.set(b + i, cls);
      }
      if (teacherLabel != null) {
        teacherLabel.set(i, cls);
        teacherLabel.set(b + i, classes);
      }
    }
  }

  /** The student: the architecture's own output. */
  @Override
  public List<String> exportOutputs(Architecture architecture) {
    return List.of("out");
  }

  /** BOOT reads no data: what it learns from is the teacher, identified by its file's bytes. */
  @Override
  public Optional<DataIdentity> dataIdentity() {
    try {
      return Optional.of(DataIdentity.of("teacher " + teacher.path(), java.nio.file.Files.readAllBytes(teacher.path())));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(teacher.path() + ": cannot read the teacher to hash it", e);
    }
  }

  /**
   * The teacher's schedule, sample shape and classes (so the student loads as a
   * {@link dev.kiln.inference.GenerativeModel}), with {@code final_timestep} for {@link BootSampler}; the
   * student is a one-step generator drawn with {@code boot} in one step.
   */
  @Override
  public Map<String, String> exportMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("kiln_task", "boot");
    m.put("scheduler_config", teacher.schedulerConfig().put("final_timestep", SignalGrid.CLEAN_TIMESTEP).toString());
    m.put("sample_shape", Arrays.toString(teacher.sampleShape()));
    m.put("one_step", "true");
    m.put("default_sampler", "boot");
    for (String key : new String[] {"data", "num_classes"}) {
      if (teacher.metadata().containsKey(key)) {
        m.put(key, teacher.metadata().get(key));
      }
    }
    m.put("boot_teacher", teacher.path().toString());
    m.put("boot_grid_steps", Integer.toString(grid.steps()));
    if (config.boundaryRows() > 0) {
      m.put("boot_boundary_rows", Integer.toString(config.boundaryRows()));
    }
    m.put("boot_guidance", Double.toString(config.guidance()));
    return m;
  }

  /** Rows {@code which·N/2 … (which+1)·N/2} of {@code v [N, ...]} (static trailing dimensions). */
  static Value half(Graph g, Value v, int which) {
    long[] split = new long[v.rank() + 1];
    split[0] = 2;
    split[1] = -1;
    for (int i = 1; i < v.rank(); i++) {
      split[i + 1] = v.shape().dim(i).size();
    }
    return g.squeeze(g.slice(g.reshape(v, split), 0, which, which + 1), 0);
  }

  /** Column j of {@code c [B, k]} as [B, 1, …, 1] of the given rank, to scale rows of a tensor. */
  static Value column(Graph g, Value c, int j, int rank) {
    long[] shape = new long[rank];
    Arrays.fill(shape, 1);
    shape[0] = -1;
    return g.reshape(g.slice(c, 1, j, j + 1), shape);
  }

  /** Mean of squares over every axis but the first: [B, ...] → [B]. */
  static Value rowMeanSquare(Graph g, Value v) {
    long[] axes = new long[v.rank() - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    return g.reduceMean(g.square(v), false, axes);
  }
}
