package dev.kiln.conformance.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import dev.kiln.spi.SamplerState;
import dev.kiln.spi.StateSpace;
import dev.kiln.spi.process.AgmProcess;
import dev.kiln.spi.process.GaussianMixtureOracle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;

/**
 * What a correct sampler does, as checks that throw an {@link AssertionError} saying what is wrong.
 * One contract for every sampler; what it checks follows from what the sampler
 * {@link Sampler#promises promises}:
 *
 * <ul>
 *   <li>every sampler hands its model states of the promised state space, calls it as often as
 *       {@code evaluations(steps)} says, returns finite float32 output of the requested shape and is
 *       bit-reproducible from its generator's seed;
 *   <li>a position sampler is configured with DDPM's linear schedule and ε-prediction through
 *       diffusers' field names (what an exported model's metadata hands it) and driven by the exact
 *       denoiser of Gaussian data ({@link GaussianTarget}); it must reach the data law, and an ODE
 *       sampler must converge along each trajectory at its declared order;
 *   <li>a phase-space sampler whose example config names an AGM {@code process} (arXiv 2310.07805) is
 *       driven by the exact model of Gaussian data under that process ({@link GaussianMixtureOracle}),
 *       with the same distribution and order checks; for other processes only the structural checks run;
 *   <li>a one-step sampler is called with one step, makes one model call on standard normal noise, and
 *       driven by the exact one-step generator of Gaussian data ({@code x = μ + s·ε}) reaches the data law;
 *   <li>a position sampler whose config turns on dynamic thresholding (diffusers' {@code thresholding},
 *       {@code dynamic_thresholding_ratio}, {@code sample_max_value}; Imagen, arXiv 2205.11487 §2.3) is driven
 *       by data inside the thresholding range [−1, 1] ({@link #IN_RANGE}), where thresholding must change
 *       nothing, so every other check holds unchanged; one more check asks that it change nothing there, bit
 *       for bit, and that data outside the range ends where the thresholding rule puts it.
 * </ul>
 */
public final class SamplerChecks {

  static final GaussianTarget TARGET = new GaussianTarget(0.5, 0.3);

  /**
   * Data well inside dynamic thresholding's range [−1, 1] (the upper edge is five standard deviations away), for
   * the settings that turn thresholding on: the exact model's x̂₀ stays inside the range, where thresholding is
   * the identity, so the sampler's law is the one without thresholding.
   */
  static final GaussianTarget IN_RANGE = new GaussianTarget(0.25, 0.15);

  private SamplerChecks() {}

  /** Every check by its name, in report order. */
  public static Map<String, Runnable> all(SamplerProvider<?> provider) {
    Map<String, Runnable> checks = new LinkedHashMap<>();
    checks.put("calls the denoiser as declared", () -> callsTheDenoiserAsDeclared(provider));
    checks.put("seeded runs are bit-identical", () -> seededRunsAreBitIdentical(provider));
    checks.put("reaches the data distribution", () -> reachesTheDataDistribution(provider));
    checks.put("converges at its order", () -> convergesAtItsOrder(provider));
    checks.put("same results from several threads", () -> sameResultsFromSeveralThreads(provider));
    checks.put("leaves what it is handed unchanged", () -> leavesWhatItIsHandedUnchanged(provider));
    checks.put("finite output for every step count", () -> finiteOutputForEveryStepCount(provider));
    checks.put("ends at the data with no noise left", () -> endsAtTheDataWithNoNoiseLeft(provider));
    checks.put("thresholds only outside its range", () -> thresholdsOnlyOutsideItsRange(provider));
    return checks;
  }

  /**
   * The provider's example config followed by each of its {@link SamplerProvider#conformanceSettings
   * settings}, by a label ({@code "example config"}, {@code "eta=1.0"}); each is a provider whose example
   * config is that setting, so every check runs on it unchanged.
   */
  public static <C> Map<String, SamplerProvider<C>> settings(SamplerProvider<C> provider) {
    Map<String, SamplerProvider<C>> all = new LinkedHashMap<>();
    all.put("example config", provider);
    for (Map<String, Object> fields : provider.conformanceSettings()) {
      String label = new java.util.TreeMap<>(fields).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(java.util.stream.Collectors.joining(", "));
      all.put(label, withFields(provider, fields, "conformance setting " + label));
    }
    return all;
  }

  /**
   * A provider whose example config is {@code provider}'s with {@code fields} set (by their JSON names). The
   * fields also win over the schedule {@link #create} puts into every config ({@code clip_sample} among them),
   * so a setting that turns clipping on really clips.
   */
  static <C> SamplerProvider<C> withFields(SamplerProvider<C> provider, Map<String, Object> fields, String what) {
    if (provider instanceof Setting<C> setting) { // a setting of a setting: the later fields win
      Map<String, Object> all = new LinkedHashMap<>(setting.fields());
      all.putAll(fields);
      return withFields(setting.base(), all, what);
    }
    return new Setting<>(provider, Map.copyOf(fields), set(provider, provider.exampleConfig(), fields, what), what);
  }

  /** {@code base} with {@code fields} set in its example config and in every config it creates a sampler from. */
  private record Setting<C>(SamplerProvider<C> base, Map<String, Object> fields, C config, String what)
      implements SamplerProvider<C> {

    @Override
    public String name() {
      return base.name();
    }

    @Override
    public Class<C> configType() {
      return base.configType();
    }

    @Override
    public C exampleConfig() {
      return config;
    }

    @Override
    public Sampler create(C c) {
      return base.create(set(base, c, fields, what));
    }
  }

  private static <C> C set(SamplerProvider<C> provider, C config, Map<String, Object> fields, String what) {
    ObjectNode json = (ObjectNode) Configs.toTree(config);
    fields.forEach((k, v) -> json.set(k, Configs.mapper().valueToTree(v)));
    return Configs.read(json, provider.configType(), provider.name() + " " + what);
  }

  /** Whether the provider's example config turns on dynamic thresholding (diffusers' {@code thresholding}). */
  static boolean thresholds(SamplerProvider<?> provider) {
    JsonNode json = Configs.toTree(provider.exampleConfig());
    return json != null && json.path("thresholding").asBoolean(false);
  }

  /** The Gaussian data the exact model describes for {@code provider}: {@link #IN_RANGE} when it thresholds. */
  static GaussianTarget target(SamplerProvider<?> provider) {
    return thresholds(provider) ? IN_RANGE : TARGET;
  }

  /**
   * The sampler a provider makes from its example config, with DDPM's standard schedule in the fields
   * the config has (a phase-space or one-step sampler's config may have none).
   */
  public static <C> Sampler create(SamplerProvider<C> provider) {
    ObjectNode json = (ObjectNode) Configs.toTree(provider.exampleConfig());
    Set<String> known = Configs.fieldNames(provider.configType());
    ObjectNode schedule = Configs.mapper().createObjectNode().put("num_train_timesteps", 1000)
        .put("beta_start", 1e-4).put("beta_end", 0.02).put("beta_schedule", "linear")
        .put("prediction_type", "epsilon").put("clip_sample", false);
    schedule.properties().forEach(e -> {
      if (known.contains(e.getKey())) {
        json.set(e.getKey(), e.getValue());
      }
    });
    json.properties().removeIf(e -> e.getValue().isNull());
    return provider.create(Configs.read(json, provider.configType(), provider.name() + " config"));
  }

  /** The AGM process the example config names, or null when it names none. */
  static <C> AgmProcess process(SamplerProvider<C> provider) {
    JsonNode json = Configs.toTree(provider.exampleConfig());
    JsonNode p = json == null ? null : json.get("process");
    if (p == null || p.isNull()) {
      return null;
    }
    return Configs.read(p, AgmProcess.class, provider.name() + " example config: process");
  }

  /**
   * The exact model for what the sampler promises, with {@code dims} coordinates per example; null
   * for a phase-space sampler of a process the suite does not know.
   */
  static Denoiser exact(SamplerProvider<?> provider, Sampler.Promises promises, int dims) {
    GaussianTarget target = target(provider);
    if (promises.oneStep()) {
      return (state, t) -> {
        float[] out = new float[state.x().size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = (float) (target.mu() + target.s() * state.x().getFloat(i));
        }
        return Tensor.of(out, state.x().shape());
      };
    }
    if (promises.stateSpace() == StateSpace.POSITION) {
      return target.denoiser();
    }
    AgmProcess process = process(provider);
    return process == null ? null : GaussianMixtureOracle.isotropic(target.mu(), target.s(), dims).agm(process);
  }

  /** The exact model where one is known, else a model that outputs zeros (for the structural checks). */
  private static Denoiser anyModel(SamplerProvider<?> provider, Sampler.Promises promises, int dims) {
    Denoiser d = exact(provider, promises, dims);
    return d != null ? d : (state, t) -> Tensor.zeros(DType.FLOAT, state.x().shape());
  }

  /** The step counts the structural checks run: one for a one-step sampler. */
  private static int[] structuralSteps(Sampler.Promises promises) {
    return promises.oneStep() ? new int[] {1} : new int[] {4, 13, 30};
  }

  /**
   * The sampler calls the model {@code evaluations(steps)} times with float32 states of the promised
   * state space and the requested shape and finite times (timesteps in [0, 1000) for position
   * samplers), and returns a finite float32 tensor of that shape.
   */
  public static void callsTheDenoiserAsDeclared(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    Sampler.Promises promises = sampler.promises();
    long[] shape = {3, 2, 5};
    Denoiser inner = anyModel(provider, promises, 10);
    for (int steps : structuralSteps(promises)) {
      AtomicInteger calls = new AtomicInteger();
      Denoiser checking = (state, t) -> {
        calls.incrementAndGet();
        assertThat(state.space()).as("%s: state handed to the denoiser (it promises %s)", provider.name(),
            promises.stateSpace().description()).isEqualTo(promises.stateSpace());
        assertStateTensor(provider.name(), "x", state.x(), shape);
        if (state instanceof SamplerState.PhaseSpace p) {
          assertStateTensor(provider.name(), "v", p.v(), shape);
        }
        assertThat(Double.isFinite(t)).as("%s: time handed to the denoiser is finite (%s)", provider.name(), t)
            .isTrue();
        if (promises.stateSpace() == StateSpace.POSITION && !promises.oneStep()) {
          assertThat(t).as("%s: timestep handed to the denoiser", provider.name()).isBetween(0.0, 999.0);
        }
        return inner.predict(state, t);
      };
      Tensor out = sampler.sample(checking, shape, steps, new SplittableRandom(1));
      assertThat(calls.get()).as("%s: denoiser calls for %d steps (evaluations() says %d)", provider.name(), steps,
          sampler.evaluations(steps)).isEqualTo(sampler.evaluations(steps));
      if (promises.oneStep()) {
        assertThat(calls.get()).as("%s: a one-step sampler's model calls", provider.name()).isEqualTo(1);
      }
      outputIsFiniteFloat(provider.name(), out, shape);
    }
  }

  private static void assertStateTensor(String sampler, String name, Tensor t, long[] shape) {
    assertThat(t.shape()).as("%s: shape of %s handed to the denoiser", sampler, name).containsExactly(shape);
    assertThat(t.dtype()).as("%s: dtype of %s handed to the denoiser", sampler, name).isEqualTo(DType.FLOAT);
  }

  /** A sampler's output has the requested shape, is float32 and every element is finite. */
  public static void outputIsFiniteFloat(String sampler, Tensor out, long[] shape) {
    assertThat(out.shape()).as("%s: output shape", sampler).containsExactly(shape);
    assertThat(out.dtype()).as("%s: output dtype", sampler).isEqualTo(DType.FLOAT);
    for (int i = 0; i < out.size(); i++) {
      assertThat(Double.isFinite(out.get(i))).as("%s: output element %d is finite", sampler, i).isTrue();
    }
  }

  /** The same generator seed gives bit-identical samples; another seed gives different ones. */
  public static void seededRunsAreBitIdentical(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    Sampler.Promises promises = sampler.promises();
    Denoiser model = anyModel(provider, promises, 2);
    int steps = promises.oneStep() ? 1 : 20;
    long[] shape = {64, 2};
    Tensor a = sampler.sample(model, shape, steps, new SplittableRandom(5));
    Tensor b = create(provider).sample(model, shape, steps, new SplittableRandom(5));
    Tensor c = sampler.sample(model, shape, steps, new SplittableRandom(6));
    assertThat(a.contentEquals(b)).as("%s: two runs with seed 5 are bit-identical", provider.name()).isTrue();
    assertThat(a.contentEquals(c)).as("%s: seeds 5 and 6 give different samples", provider.name()).isFalse();
  }

  /**
   * Driven by the exact model, samples reach the data law: mean and standard deviation within 0.025
   * of N(0.5, 0.3²) ({@link #IN_RANGE}'s N(0.25, 0.15²) where thresholding is on) over 8,000 values (200 steps for ODE samplers, 1,000 for stochastic ones, one for
   * a one-step sampler, whose noise must then be standard normal).
   */
  public static void reachesTheDataDistribution(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    Sampler.Promises promises = sampler.promises();
    Denoiser exact = exact(provider, promises, 2);
    Assumptions.assumeTrue(exact != null, provider.name() + " names no AGM process: no exact model known");
    int steps = promises.oneStep() ? 1 : promises.stochastic() ? 1000 : 200;
    long[] shape = {4000, 2};
    if (promises.oneStep()) {
      Denoiser identity = (state, t) -> state.x();
      matchesMoments(provider.name() + " noise", steps, sampler.sample(identity, shape, steps, new SplittableRandom(2)),
          0, 1);
    }
    Tensor out = sampler.sample(exact, shape, steps, new SplittableRandom(2));
    matchesMoments(provider.name(), steps, out, target(provider).mu(), target(provider).s());
  }

  /** The mean and standard deviation of all sample values are within 0.025 of the data's. */
  public static void matchesMoments(String sampler, int steps, Tensor out, double dataMean, double dataStd) {
    double[] v = out.toDoubleArray();
    double mean = Arrays.stream(v).average().orElseThrow();
    double std = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
    assertThat(mean).as("%s: sample mean after %d steps (data mean %s)", sampler, steps, dataMean)
        .isCloseTo(dataMean, org.assertj.core.data.Offset.offset(0.025));
    assertThat(std).as("%s: sample std after %d steps (data std %s)", sampler, steps, dataStd)
        .isCloseTo(dataStd, org.assertj.core.data.Offset.offset(0.025));
  }

  /**
   * An ODE sampler converges along each trajectory at its declared order: the distance to a
   * 1,000-step solution from the same initial state shrinks by at least 0.6·2^order when the steps
   * double from 25 to 50 (skipped for stochastic and one-step samplers, which promise no pathwise
   * order, and for processes without a known exact model).
   */
  public static void convergesAtItsOrder(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    Sampler.Promises promises = sampler.promises();
    Assumptions.assumeTrue(promises.convergence() == Sampler.Convergence.ODE, provider.name()
        + (promises.stochastic() ? " is stochastic" : " samples in one step") + ": no pathwise order to check");
    Denoiser exact = exact(provider, promises, 2);
    Assumptions.assumeTrue(exact != null, provider.name() + " names no AGM process: no exact model known");
    long[] shape = {256, 2};
    convergesAtOrder(provider.name(), promises.order(), steps -> sampler.sample(exact, shape, steps,
        new SplittableRandom(3)));
  }

  /**
   * The distance of the 25- and 50-step solutions ({@code solve.apply(steps)}, from one initial
   * state) to the 1,000-step one shrinks by at least 0.6·2^order when the steps double. A setting that
   * refuses 1,000 steps (a leading spacing with a steps offset runs out of training timesteps) is measured
   * against its 500-step solution.
   */
  public static void convergesAtOrder(String sampler, int order, IntFunction<Tensor> solve) {
    Tensor ref;
    try {
      ref = solve.apply(1000);
    } catch (IllegalArgumentException refused) {
      ref = solve.apply(500);
    }
    double e25 = rms(solve.apply(25), ref);
    double e50 = rms(solve.apply(50), ref);
    double want = 0.6 * Math.pow(2, order);
    assertThat(e25 / e50).as(String.format(Locale.ROOT, "%s (order %d): error 25 steps %.3g, 50 steps %.3g",
        sampler, order, e25, e50)).isGreaterThanOrEqualTo(want);
  }

  /** The step counts a user can ask for ({@code kiln sample --steps} takes 1..10,000), a few of each size. */
  static final int[] USER_STEP_COUNTS = {1, 2, 3, 7, 49, 999, 1000, 1001, 10_000};

  /**
   * One sampler instance called from four threads at once gives each call exactly what the same call gives
   * alone: a server calls one provider's sampler for many users concurrently.
   */
  public static void sameResultsFromSeveralThreads(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    Sampler.Promises promises = sampler.promises();
    Denoiser model = anyModel(provider, promises, 2);
    int steps = promises.oneStep() ? 1 : 20;
    long[] shape = {32, 2};
    int calls = 8;
    Tensor[] alone = new Tensor[calls];
    for (int i = 0; i < calls; i++) {
      alone[i] = sampler.sample(model, shape.clone(), steps, new SplittableRandom(100 + i));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Tensor>> together = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < calls; i++) {
        long seed = 100 + i;
        together.add(pool.submit(() -> {
          start.await();
          return sampler.sample(model, shape.clone(), steps, new SplittableRandom(seed));
        }));
      }
      start.countDown();
      for (int i = 0; i < calls; i++) {
        Tensor t;
        try {
          t = together.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError(provider.name() + ": call " + i + " of " + calls + " on four threads failed: " + e,
              e);
        }
        assertThat(t.contentEquals(alone[i])).as("%s: call %d from four threads at once equals the same call"
            + " alone", provider.name(), i).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The sampler changes neither the shape array it is handed nor any tensor its model returns (a model
   * runner may hand out buffers it reuses); it works on its own copies.
   */
  public static void leavesWhatItIsHandedUnchanged(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    Sampler.Promises promises = sampler.promises();
    Denoiser inner = anyModel(provider, promises, 2);
    java.util.List<Tensor[]> returned = new java.util.ArrayList<>();
    Denoiser recording = (state, t) -> {
      Tensor out = inner.predict(state, t);
      returned.add(new Tensor[] {out, out.copy()});
      return out;
    };
    long[] shape = {16, 2};
    sampler.sample(recording, shape, promises.oneStep() ? 1 : 12, new SplittableRandom(4));
    assertThat(shape).as("%s: the shape array it was handed", provider.name()).containsExactly(16, 2);
    for (int i = 0; i < returned.size(); i++) {
      assertThat(returned.get(i)[0].contentEquals(returned.get(i)[1])).as("%s: the tensor the model returned at"
          + " call %d is unchanged after sampling", provider.name(), i + 1).isTrue();
    }
  }

  /**
   * Every step count a user can ask for gives finite float32 output of the requested shape, or is refused
   * up front with an {@link IllegalArgumentException} (a one-step sampler is asked for one step only).
   */
  public static void finiteOutputForEveryStepCount(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    Sampler.Promises promises = sampler.promises();
    Denoiser model = anyModel(provider, promises, 2);
    long[] shape = {2, 2};
    for (int steps : promises.oneStep() ? new int[] {1} : USER_STEP_COUNTS) {
      Tensor out;
      try {
        out = sampler.sample(model, shape, steps, new SplittableRandom(steps));
      } catch (IllegalArgumentException refused) {
        assertThat(refused.getMessage()).as("%s: refusal of %d steps says why", provider.name(), steps)
            .isNotBlank();
        continue;
      }
      outputIsFiniteFloat(provider.name() + " with " + steps + " steps", out, shape);
    }
  }

  /**
   * Where the exact denoiser fixes the answer, the sampler ends exactly there: for data that is a single
   * point (s = 0) the exact model's prediction is that point at every step, so every sample must end within
   * 1e-3 of it, with no noise left (position samplers and one-step samplers, 50 steps).
   */
  public static void endsAtTheDataWithNoNoiseLeft(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    Sampler.Promises promises = sampler.promises();
    Assumptions.assumeTrue(promises.oneStep() || promises.stateSpace() == StateSpace.POSITION, provider.name()
        + " samples phase space: the exact model of a point mass is singular there");
    double point = 0.5;
    Denoiser exact = promises.oneStep()
        ? (state, t) -> Tensor.of(filled(state.x().size(), point), state.x().shape())
        : new GaussianTarget(point, 0).denoiser();
    int steps = promises.oneStep() ? 1 : 50;
    Tensor out = sampler.sample(exact, new long[] {256, 2}, steps, new SplittableRandom(8));
    double worst = 0;
    for (int i = 0; i < out.size(); i++) {
      worst = Math.max(worst, Math.abs(out.get(i) - point));
    }
    assertThat(worst).as("%s: largest distance of a sample from the data point %s after %d steps", provider.name(),
        point, steps).isLessThan(1e-3);
  }

  /**
   * Dynamic thresholding (on in the provider's example config) changes nothing inside its range and clips
   * outside it. Driven by the exact model of {@link #IN_RANGE} data, whose x̂₀ never leaves [−1, 1], the
   * sampler gives bit for bit what it gives with {@code thresholding} off; driven by the exact model of a
   * point outside the range, (3, −1.5, 0.5, 2, −0.25) in every sample, every sample ends within 1e-3 of where
   * the rule puts that point: s = the {@code dynamic_thresholding_ratio} quantile of its |coordinates| clamped to
   * [1, {@code sample_max_value}], then clamp(x, −s, s)/s (50 steps). Skipped where thresholding is off.
   */
  public static void thresholdsOnlyOutsideItsRange(SamplerProvider<?> provider) {
    Assumptions.assumeTrue(thresholds(provider), provider.name() + ": dynamic thresholding is off in this config");
    Sampler sampler = create(provider);
    Assumptions.assumeTrue(sampler.promises().stateSpace() == StateSpace.POSITION && !sampler.promises().oneStep(),
        provider.name() + ": thresholding is checked for position samplers");
    Sampler plain = create(withFields(provider, Map.of("thresholding", false), "with thresholding off"));
    long[] shape = {256, 2};
    int steps = 50;
    Tensor on = sampler.sample(IN_RANGE.denoiser(), shape, steps, new SplittableRandom(9));
    Tensor off = plain.sample(IN_RANGE.denoiser(), shape, steps, new SplittableRandom(9));
    assertThat(on.contentEquals(off)).as("%s: with data inside the thresholding range, samples with thresholding"
        + " on are bit-identical to samples with it off", provider.name()).isTrue();

    JsonNode json = Configs.toTree(provider.exampleConfig());
    double ratio = json.path("dynamic_thresholding_ratio").asDouble(0.995);
    double maxValue = json.path("sample_max_value").asDouble(1.0);
    double[] point = {3.0, -1.5, 0.5, 2.0, -0.25};
    double[] expected = thresholded(point, ratio, maxValue);
    Tensor out = sampler.sample(pointMass(point), new long[] {256, point.length}, steps, new SplittableRandom(10));
    double worst = 0;
    for (int i = 0; i < out.size(); i++) {
      worst = Math.max(worst, Math.abs(out.get(i) - expected[i % point.length]));
    }
    assertThat(worst).as("%s: largest distance of a sample from %s, where thresholding (ratio %s, sample_max_value"
        + " %s) puts the data point %s, after %d steps", provider.name(), Arrays.toString(expected), ratio, maxValue,
        Arrays.toString(point), steps).isLessThan(1e-3);
  }

  /** Imagen's dynamic thresholding of one sample {@code x}, as diffusers defines it (torch.quantile's rule). */
  static double[] thresholded(double[] x, double ratio, double maxValue) {
    double[] abs = Arrays.stream(x).map(Math::abs).sorted().toArray();
    double pos = ratio * (abs.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, abs.length - 1);
    double q = abs[lo] + (pos - lo) * (abs[hi] - abs[lo]);
    double s = Math.min(Math.max(q, 1), maxValue);
    return Arrays.stream(x).map(v -> Math.max(-s, Math.min(s, v)) / s).toArray();
  }

  /** The exact ε-model of data that is the point {@code p} in every sample (coordinate i of a sample: p[i]). */
  static Denoiser pointMass(double[] p) {
    return (state, t) -> {
      Tensor x = state.x();
      double ab = GaussianTarget.SCHEDULE.alphaCumprod(t);
      double a = Math.sqrt(ab);
      double b = Math.sqrt(1 - ab);
      float[] out = new float[x.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) ((x.getFloat(i) - a * p[i % p.length]) / b);
      }
      return Tensor.of(out, x.shape());
    };
  }

  private static float[] filled(int n, double v) {
    float[] f = new float[n];
    Arrays.fill(f, (float) v);
    return f;
  }

  private static double rms(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      double d = a.get(i) - b.get(i);
      s += d * d;
    }
    return Math.sqrt(s / a.size());
  }
}
