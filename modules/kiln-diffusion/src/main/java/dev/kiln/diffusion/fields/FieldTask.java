package dev.kiln.diffusion.fields;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.inference.Domain;
import dev.kiln.inference.FieldQuery;
import dev.kiln.nn.Losses;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.DataIdentity;
import dev.kiln.spi.Objective;
import dev.kiln.spi.Task;
import dev.kiln.spi.process.NoiseSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Diffusion Probabilistic Fields (Zhuang et al., ICLR 2023, arXiv 2303.00165), explicit field
 * parametrisation. A field is a set of pairs {(m_i, y_i)}: coordinates m on a {@link Domain} and
 * signals y. Diffusion acts on the signals only. For each field a context set C and a query set Q are
 * drawn (independent uniform subsets of its pairs, which may intersect), both cut from one noisy
 * field: the whole field is noised once at a timestep t, so a coordinate that falls in both sets
 * carries the same noisy value in each, as it does at sampling time, where the context is a subset of
 * the queries (the layout of Apple's MCF training step, apple/ml-mcf),
 *
 * <pre>
 *   y_t = √ᾱ_t·y_0 + √(1−ᾱ_t)·ε  over every pair,   C_t = y_t|C,   Q_t = y_t|Q,   ε_q = ε|Q,
 *   L(θ) = E_{t, C, Q, ε} ‖ε_q − ε_θ(C_t, t, Q_t)‖²                        (loss on the queries only)
 * </pre>
 *
 * with {@code C_t = {(m_c, y_{t,c})}}, {@code Q_t = {(m_q, y_{t,q})}}. The denoiser (DPF's PerceiverIO,
 * {@link PerceiverIo}) reads {@code x = y_{t,q} [N, |Q|, C]}, {@code coords = m_q}, {@code t},
 * {@code context = y_{t,c}} and {@code context_coords = m_c}. Sampling uses Kiln's ordinary samplers
 * over the signals at any query coordinates, the context read from the current state at every step
 * ({@link FieldQuery}). Report: {@code docs/reproductions/dpf.md}.
 */
public final class FieldTask implements Task {

  private final FieldTaskConfig config;
  private final NoiseSchedule schedule;
  private final FieldData data;
  private final double[] coords;

  public FieldTask(FieldTaskConfig config) {
    this.config = config;
    this.schedule = config.schedule().schedule();
    try {
      this.data = FieldData.of(config.data(), config.resolution(), config.batchSize());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    this.coords = data.coords();
    int pairs = data.pairs();
    if (config.contextSize() > pairs || config.querySize() > pairs) {
      throw new ConfigException("dpf task: data `" + data.id() + "` has " + pairs + " pairs per field; `context_size` ("
          + config.contextSize() + ") and `query_size` (" + config.querySize() + ") must not exceed it");
    }
  }

  public FieldTaskConfig config() {
    return config;
  }

  /** The training fields. */
  public FieldData data() {
    return data;
  }

  public NoiseSchedule noiseSchedule() {
    return schedule;
  }

  @Override
  public int batchSize() {
    return config.batchSize();
  }

  @Override
  public Map<String, Long> dimensionSizes() {
    return Map.of("N", (long) config.batchSize(), PerceiverIo.QUERY_PAIRS, (long) config.querySize(),
        PerceiverIo.CONTEXT_PAIRS, (long) config.contextSize());
  }

  @Override
  public Objective objective(Graph g, Architecture architecture) {
    Map<String, Value> inputs = architecture.declareInputs(g);
    for (String name : List.of("x", "coords", "t", "context", "context_coords")) {
      if (!inputs.containsKey(name)) {
        throw new ConfigException("dpf task: the architecture must read x, coords, t, context and context_coords (a"
            + " field denoiser such as perceiver-io); it reads " + inputs.keySet());
      }
    }
    long dim = inputs.get("coords").shape().dim(2).size();
    if (dim != data.domain().dimension() || !inputs.get("x").shape().dim(2).is(1)) {
      throw new ConfigException("dpf task: data `" + data.id() + "` has " + data.domain().dimension()
          + "-D coordinates on the " + data.domain().id() + " and 1 channel, but the architecture reads coords "
          + inputs.get("coords").shape() + " and x " + inputs.get("x").shape());
    }
    if (architecture instanceof PerceiverIo p && !p.config().fieldDomain().equals(data.domain())) {
      throw new ConfigException("dpf task: data `" + data.id() + "` lives on the " + data.domain().id()
          + ", the architecture's `domain` is " + p.config().domain());
    }
    Value out = architecture.build(g, inputs).get("out");
    g.output("out", out);
    Value target = g.input("target", out.dtype(), inputs.get("x").shape());
    return Objective.of(Losses.mse(g, out, target), Map.of());
  }

  @Override
  public void fill(long seed, long step, Map<String, Tensor> feeds) {
    int n = (int) feeds.get("x").dim(0);
    int p = data.pairs();
    int d = data.domain().dimension();
    double[] y0 = new double[n * p];
    data.sample(seed, step, n, y0);
    SplittableRandom rng = Seeds.rng(seed, "dpf-noise", step);
    Tensor t = feeds.get("t");
    double[] eps = new double[p];
    for (int i = 0; i < n; i++) {
      int ti = rng.nextInt(schedule.numTrainTimesteps());
      t.set(i, ti);
      for (int j = 0; j < p; j++) {
        eps[j] = rng.nextGaussian();
      }
      double a = Math.sqrt(schedule.alphaCumprod(ti));
      double s = Math.sqrt(1 - schedule.alphaCumprod(ti));
      noisyPairs(rng, y0, eps, i, p, d, a, s, feeds.get("context"), feeds.get("context_coords"), null);
      noisyPairs(rng, y0, eps, i, p, d, a, s, feeds.get("x"), feeds.get("coords"), feeds.get("target"));
    }
  }

  /**
   * Draws {@code signals.dim(1)} distinct pairs of field {@code i} and writes their coordinates and
   * noisy signals {@code a·y₀ + s·ε}, with {@code eps} the field's noise at every pair; the noise goes
   * to {@code noise} where given (the query targets).
   */
  private void noisyPairs(SplittableRandom rng, double[] y0, double[] eps, int i, int p, int d, double a, double s,
      Tensor signals, Tensor coordinates, Tensor noise) {
    int k = (int) signals.dim(1);
    int[] pick = Seeds.distinct(rng, p, k);
    for (int j = 0; j < k; j++) {
      double e = eps[pick[j]];
      int row = i * k + j;
      signals.set(row, a * y0[i * p + pick[j]] + s * e);
      if (noise != null) {
        noise.set(row, e);
      }
      for (int c = 0; c < d; c++) {
        coordinates.set(row * d + c, coords[pick[j] * d + c]);
      }
    }
  }

  /** Fields of digits are identified by the digits file; procedural shapes by 4 fields drawn with seed 0. */
  @Override
  public Optional<DataIdentity> dataIdentity() {
    if (data instanceof FieldData.Shapes) {
      double[] y = new double[4 * data.pairs()];
      data.sample(0, 1, 4, y);
      return Optional.of(DataIdentity.ofDraw(data.id(), y));
    }
    return Optional.of(DataIdentity.of(data.id(), dev.kiln.data.MnistDigits.load().content()));
  }

  @Override
  public Map<String, String> exportMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("kiln_task", "dpf");
    m.put("scheduler_config", config.schedule().toJson().put("clip_sample", true).toString());
    m.put("sample_shape", "[" + data.pairs() + ", 1]");
    m.put("data", data.id());
    m.put("field_domain", data.domain().id());
    m.put("field_resolution", Integer.toString(data.resolution()));
    m.put("context_size", Integer.toString(config.contextSize()));
    return m;
  }
}
