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
 *       driven by the exact one-step generator of Gaussian data ({@code x = μ + s·ε}) reaches the data law.
 * </ul>
 */
public final class SamplerChecks {

  static final GaussianTarget TARGET = new GaussianTarget(0.5, 0.3);

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
      ObjectNode json = (ObjectNode) Configs.toTree(provider.exampleConfig());
      fields.forEach((k, v) -> json.set(k, Configs.mapper().valueToTree(v)));
      String label = new java.util.TreeMap<>(fields).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(java.util.stream.Collectors.joining(", "));
      C config = Configs.read(json, provider.configType(), provider.name() + " conformance setting " + label);
      all.put(label, new SamplerProvider<>() {
        @Override
        public String name() {
          return provider.name();
        }

        @Override
        public Class<C> configType() {
          return provider.configType();
        }

        @Override
        public C exampleConfig() {
          return config;
        }

        @Override
        public Sampler create(C c) {
          return provider.create(c);
        }
      });
    }
    return all;
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
    if (promises.oneStep()) {
      return (state, t) -> {
        float[] out = new float[state.x().size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = (float) (TARGET.mu() + TARGET.s() * state.x().getFloat(i));
        }
        return Tensor.of(out, state.x().shape());
      };
    }
    if (promises.stateSpace() == StateSpace.POSITION) {
      return TARGET.denoiser();
    }
    AgmProcess process = process(provider);
    return process == null ? null : GaussianMixtureOracle.isotropic(TARGET.mu(), TARGET.s(), dims).agm(process);
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
   * of N(0.5, 0.3²) over 8,000 values (200 steps for ODE samplers, 1,000 for stochastic ones, one for
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
    matchesMoments(provider.name(), steps, out, TARGET.mu(), TARGET.s());
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
