package dev.kiln.diffusion.task;

import java.util.Optional;
import dev.kiln.spi.DataIdentity;
import dev.kiln.data.Batcher;
import dev.kiln.data.MnistDigits;
import dev.kiln.data.Toy2D;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.process.ScheduleConfig;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Losses;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.ModelInput;
import dev.kiln.spi.Objective;
import dev.kiln.spi.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Denoising diffusion training (Ho et al. 2020, arXiv 2006.11239): for data x₀, a uniform timestep t
 * and noise ε, the network sees {@code x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε} and t and regresses ε, x₀ or
 * {@code v = √ᾱ_t·ε − √(1−ᾱ_t)·x₀} (the schedule's prediction type) with a mean squared error.
 * Noising happens on the host, in double precision, from streams derived from (seed, step).
 */
public final class DiffusionTask implements Task {

  private final DiffusionTaskConfig config;
  private final NoiseSchedule schedule;
  private final DataSource data;

  public DiffusionTask(DiffusionTaskConfig config) {
    this.config = config;
    this.schedule = config.schedule().schedule();
    this.data = DataSource.of(config);
  }

  public DiffusionTaskConfig config() {
    return config;
  }

  public NoiseSchedule noiseSchedule() {
    return schedule;
  }

  /** Half the side of the square that holds this task's 2-D data in a scatter plot. */
  public double plotBound() {
    String d = config.data().toLowerCase(java.util.Locale.ROOT);
    return d.contains("checker") ? 4.5 : d.contains("moon") ? 3.2 : 3.0;
  }

  /** Shape of one sample, without the batch axis. */
  public long[] sampleShape() {
    return data.shape();
  }

  @Override
  public int batchSize() {
    return config.batchSize();
  }

  @Override
  public Objective objective(Graph g, Architecture architecture) {
    Map<String, Value> inputs = architecture.declareInputs(g);
    Value x = inputs.get("x");
    if (x == null || inputs.get("t") == null) {
      throw new ConfigException("diffusion task: the architecture must read inputs `x` and `t`, it reads "
          + inputs.keySet());
    }
    Shape expected = Shape.batched("N", data.shape());
    if (!x.shape().equals(expected)) {
      throw new ConfigException("diffusion task: data `" + config.data() + "` has samples " + expected
          + " but the architecture's input x is " + x.shape());
    }
    if (config.classConditional() && !inputs.containsKey("label")) {
      throw new ConfigException("diffusion task: class_conditional is true but the architecture reads no `label`"
          + " (set num_classes in the architecture)");
    }
    Value out = architecture.build(g, inputs).get("out");
    g.output("out", out);
    Value target = g.input("target", x.dtype(), x.shape());
    return Objective.of(Losses.mse(g, out, target), Map.of());
  }

  @Override
  public void fill(long seed, long step, Map<String, Tensor> feeds) {
    Tensor x = feeds.get("x");
    Tensor t = feeds.get("t");
    Tensor target = feeds.get("target");
    int n = (int) x.dim(0);
    int d = x.size() / n;
    double[] x0 = new double[n * d];
    long[] labels = data.sample(seed, step, n, x0);
    SplittableRandom rng = Seeds.rng(seed, "diffusion-noise", step);
    Tensor label = feeds.get("label");
    for (int i = 0; i < n; i++) {
      int ti = rng.nextInt(schedule.numTrainTimesteps());
      double ab = schedule.alphaCumprod(ti);
      double a = Math.sqrt(ab);
      double s = Math.sqrt(1 - ab);
      t.set(i, ti);
      for (int j = 0; j < d; j++) {
        double eps = rng.nextGaussian();
        double clean = x0[i * d + j];
        x.set(i * d + j, a * clean + s * eps);
        double y = switch (config.schedule().predictionType()) {
          case EPSILON -> eps;
          case SAMPLE -> clean;
          case V_PREDICTION -> a * eps - s * clean;
        };
        target.set(i * d + j, y);
      }
      if (label != null) {
        boolean drop = rng.nextDouble() < config.pUncond();
        label.set(i, drop || labels == null ? data.classes() : labels[i]);
      }
    }
  }

  /** Draws {@code n} reference samples from the data (for metrics), as [n, ...sample shape]. */
  public Tensor referenceSamples(long seed, int n, boolean heldOut) {
    long[] shape = new long[data.shape().length + 1];
    shape[0] = n;
    System.arraycopy(data.shape(), 0, shape, 1, data.shape().length);
    double[] values = new double[(int) Arrays.stream(shape).reduce(1, (p, q) -> p * q)];
    data.reference(seed, n, heldOut, values);
    return Tensor.of(dev.kiln.graph.DType.FLOAT, values, shape);
  }

  @Override
  public Optional<DataIdentity> dataIdentity() {
    return Optional.of(data.identity(config.data()));
  }

  @Override
  public Map<String, String> exportMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("kiln_task", "diffusion");
    // Samplers clip x̂₀ to [-1, 1] only for images, whose pixels live there; 2-D toy data does not.
    var sched = config.schedule().toJson().put("clip_sample", data.shape().length > 1);
    if (config.schedule().betaSchedule() == dev.kiln.spi.process.BetaSchedule.SQUAREDCOS_CAP_V2) {
      // The capped cosine schedule ends at ᾱ ≈ 1e-9 (σ ≈ 3·10⁴); multistep solvers must not start there.
      // diffusers advises λ ≥ −5.1 (σ ≤ 164); on the zoo MNIST model λ ≥ −3 (σ ≤ 20) gives FD 58 against 97
      // at 20 steps (docs/diffusion-samplers.md).
      sched.put("lambda_min_clipped", -3.0);
    }
    m.put("scheduler_config", sched.toString());
    m.put("sample_shape", Arrays.toString(data.shape()));
    m.put("data", config.data());
    if (config.classConditional()) {
      m.put("num_classes", Integer.toString(data.classes()));
    }
    return m;
  }

  /** Where training examples come from. */
  private interface DataSource {
    long[] shape();

    int classes();

    /** Fills x0 (n × d, row-major) for a step; returns labels or null. */
    long[] sample(long seed, long step, int n, double[] x0);

    /** Fills reference samples (held-out split where there is one). */
    void reference(long seed, int n, boolean heldOut, double[] out);

    /** The data called {@code name} (as the recipe spells it) and its content hash. */
    DataIdentity identity(String name);

    static DataSource of(DiffusionTaskConfig c) {
      if (c.data().equalsIgnoreCase("mnist")) {
        return new Digits(c.batchSize());
      }
      Toy2D toy;
      try {
        toy = Toy2D.parse(c.data());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("diffusion task: field `data`: " + e.getMessage() + " (or mnist)", e);
      }
      if (c.classConditional()) {
        throw new ConfigException("diffusion task: class_conditional needs labelled data (mnist), got `" + c.data()
            + "`");
      }
      return new Toy(toy);
    }
  }

  private record Toy(Toy2D toy) implements DataSource {
    @Override
    public long[] shape() {
      return new long[] {2};
    }

    @Override
    public int classes() {
      return 0;
    }

    @Override
    public long[] sample(long seed, long step, int n, double[] x0) {
      float[] pts = toy.sample(n, Seeds.rng(seed, "toy-data", step));
      for (int i = 0; i < pts.length; i++) {
        x0[i] = pts[i];
      }
      return null;
    }

    /** A generated distribution is identified by 4,096 held-out points drawn with seed 0. */
    @Override
    public DataIdentity identity(String name) {
      double[] pts = new double[4096 * 2];
      reference(0, 4096, true, pts);
      return DataIdentity.ofDraw(name, pts);
    }

    @Override
    public void reference(long seed, int n, boolean heldOut, double[] out) {
      float[] pts = toy.sample(n, Seeds.rng(seed, heldOut ? "toy-reference" : "toy-train-reference", 0));
      for (int i = 0; i < pts.length; i++) {
        out[i] = pts[i];
      }
    }
  }

  private static final class Digits implements DataSource {
    private final MnistDigits digits = MnistDigits.load();
    private final int batch;
    private Batcher batcher;
    private long batcherSeed;

    Digits(int batch) {
      this.batch = batch;
    }

    @Override
    public long[] shape() {
      return new long[] {1, 28, 28};
    }

    @Override
    public int classes() {
      return 10;
    }

    @Override
    public long[] sample(long seed, long step, int n, double[] x0) {
      if (batcher == null || batcherSeed != seed) {
        batcher = new Batcher(digits.train().size(), batch, seed);
        batcherSeed = seed;
      }
      int[] idx = batcher.indices(step - 1);
      copy(digits.train(), idx, x0);
      long[] labels = new long[idx.length];
      for (int i = 0; i < idx.length; i++) {
        labels[i] = digits.train().label(idx[i]);
      }
      return labels;
    }

    @Override
    public DataIdentity identity(String name) {
      return DataIdentity.of(name, digits.content());
    }

    @Override
    public void reference(long seed, int n, boolean heldOut, double[] out) {
      MnistDigits.Split split = heldOut ? digits.test() : digits.train();
      if (n > split.size()) {
        throw new ConfigException("asked for " + n + " reference digits, the split has " + split.size());
      }
      copy(split, split.seededSubset(seed, n), out);
    }

    private static void copy(MnistDigits.Split split, int[] idx, double[] out) {
      float[] row = new float[784];
      for (int i = 0; i < idx.length; i++) {
        split.copyImage(idx[i], row, 0);
        for (int j = 0; j < 784; j++) {
          out[i * 784 + j] = 2 * row[j] - 1;
        }
      }
    }
  }
}
