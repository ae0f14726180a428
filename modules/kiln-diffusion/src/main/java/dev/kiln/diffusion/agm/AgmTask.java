package dev.kiln.diffusion.agm;

import java.util.Optional;
import dev.kiln.spi.DataIdentity;
import dev.kiln.spi.process.Bridge;
import dev.kiln.spi.process.AgmProcess;
import dev.kiln.spi.process.PredictionType;
import dev.kiln.spi.process.ScheduleConfig;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Objective;
import dev.kiln.spi.Task;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * AGM training (arXiv 2310.07805, §3 and the official loss): for data x₁, a time t ~ U[t_min, t_max]
 * and ε_x, ε_v ~ N(0, I), the network D sees m_t = (x_t, v_t) drawn from the bridge and t, and
 * regresses the normalised acceleration label F_t/N_t (see {@link Bridge}) with weight 1/(1 − t):
 *
 * <pre>
 *   L = E[ (1/(1−t)) · ‖D(x_t, v_t, t) − F_t/N_t‖² ]   (mean over elements)
 * </pre>
 *
 * The flipped-time wrapper D = (1 − t)·net(m, 1 − t) is the architecture's ({@link AgmMlp}). Data
 * batches come from the diffusion task's data source (its clean-sample target), so an AGM model and
 * a diffusion baseline trained with the same seed see the same examples at every step. The bridge is
 * drawn on the host in double precision from streams derived from (seed, step).
 */
public final class AgmTask implements Task {

  private final AgmTaskConfig config;
  private final DiffusionTask data;
  private final Map<String, Tensor> cleanFeeds = new HashMap<>();

  public AgmTask(AgmTaskConfig config) {
    this.config = config;
    ScheduleConfig clean = new ScheduleConfig(null, null, null, null, null, PredictionType.SAMPLE, null);
    this.data = new DiffusionTask(new DiffusionTaskConfig(config.data(), config.batchSize(), clean, false, null));
  }

  public AgmTaskConfig config() {
    return config;
  }

  public AgmProcess process() {
    return config.process();
  }

  /** Shape of one sample, without the batch axis. */
  public long[] sampleShape() {
    return data.sampleShape();
  }

  /** The data as the diffusion task serves it (reference samples, sample-quality metrics). */
  public DiffusionTask dataTask() {
    return data;
  }

  @Override
  public int batchSize() {
    return config.batchSize();
  }

  @Override
  public Objective objective(Graph g, Architecture architecture) {
    Map<String, Value> inputs = architecture.declareInputs(g);
    Value x = inputs.get("x");
    if (x == null || inputs.get("v") == null || inputs.get("t") == null) {
      throw new ConfigException("agm task: the architecture must read inputs `x`, `v` and `t` (e.g. agm-mlp), it"
          + " reads " + inputs.keySet());
    }
    Shape expected = Shape.batched("N", sampleShape());
    if (!x.shape().equals(expected) || !inputs.get("v").shape().equals(expected)) {
      throw new ConfigException("agm task: data `" + config.data() + "` has samples " + expected
          + " but the architecture's inputs x, v are " + x.shape() + ", " + inputs.get("v").shape());
    }
    Value out = architecture.build(g, inputs).get("out");
    g.output("out", out);
    Value target = g.input("target", x.dtype(), x.shape());
    long[] ones = new long[sampleShape().length];
    Arrays.fill(ones, 1);
    Value weight = g.input("weight", x.dtype(), Shape.batched("N", ones));
    Value loss = g.meanAll(g.mul(weight, g.square(g.sub(out, target))));
    return Objective.of(loss, Map.of());
  }

  @Override
  public void fill(long seed, long step, Map<String, Tensor> feeds) {
    Tensor x = feeds.get("x");
    Tensor v = feeds.get("v");
    Tensor t = feeds.get("t");
    Tensor target = feeds.get("target");
    Tensor weight = feeds.get("weight");
    int n = (int) x.dim(0);
    int d = x.size() / n;
    double[] x1 = cleanBatch(seed, step, x.shape());
    SplittableRandom rng = Seeds.rng(seed, "agm-bridge", step);
    double span = config.tMax() - config.tMin();
    for (int i = 0; i < n; i++) {
      double ti = config.tMin() + span * rng.nextDouble();
      Bridge b = process().at(ti);
      double norm = b.normalizer();
      t.set(i, ti);
      weight.set(i, 1 / (1 - ti));
      for (int j = 0; j < d; j++) {
        int e = i * d + j;
        double ex = rng.nextGaussian();
        double ev = rng.nextGaussian();
        x.set(e, b.position(x1[e], ex));
        v.set(e, b.velocity(x1[e], ex, ev));
        target.set(e, b.label(x1[e], ex, ev) / norm);
      }
    }
  }

  /** The step's data batch, as the diffusion task draws it. */
  private double[] cleanBatch(long seed, long step, long[] shape) {
    if (cleanFeeds.isEmpty() || cleanFeeds.get("x").dim(0) != shape[0]) {
      cleanFeeds.put("x", Tensor.zeros(DType.FLOAT, shape));
      cleanFeeds.put("target", Tensor.zeros(DType.FLOAT, shape));
      cleanFeeds.put("t", Tensor.zeros(DType.FLOAT, shape[0]));
    }
    data.fill(seed, step, cleanFeeds);
    return cleanFeeds.get("target").toDoubleArray();
  }

  /** Draws {@code n} reference samples from the data (for metrics), as [n, ...sample shape]. */
  public Tensor referenceSamples(long seed, int n, boolean heldOut) {
    return data.referenceSamples(seed, n, heldOut);
  }

  @Override
  public Optional<DataIdentity> dataIdentity() {
    return data.dataIdentity();
  }

  @Override
  public Map<String, String> exportMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("kiln_task", "agm");
    m.put("agm_process", Configs.toTree(process()).toString());
    m.put("sample_shape", Arrays.toString(sampleShape()));
    m.put("data", config.data());
    return m;
  }
}
