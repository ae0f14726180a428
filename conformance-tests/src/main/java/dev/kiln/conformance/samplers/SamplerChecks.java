package dev.kiln.conformance.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * What a correct sampler does, as checks that throw an {@link AssertionError} saying what is wrong.
 * Samplers are configured with DDPM's linear schedule and ε-prediction through diffusers' field
 * names (what an exported model's metadata hands them) and driven by the exact denoiser of Gaussian
 * data ({@link GaussianTarget}).
 */
public final class SamplerChecks {

  static final GaussianTarget TARGET = new GaussianTarget(0.5, 0.3);

  private SamplerChecks() {}

  /** The sampler a provider makes for the standard schedule, keeping the provider's other example settings. */
  public static <C> Sampler create(SamplerProvider<C> provider) {
    ObjectNode json = (ObjectNode) Configs.toTree(provider.exampleConfig());
    Set<String> known = new HashSet<>();
    json.fieldNames().forEachRemaining(known::add);
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

  /**
   * The sampler calls the denoiser {@code evaluations(steps)} times with float32 tensors of the
   * requested shape and finite timesteps in [0, 1000), and returns a finite float32 tensor of that shape.
   */
  public static void callsTheDenoiserAsDeclared(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    long[] shape = {3, 2, 5};
    for (int steps : new int[] {4, 13, 30}) {
      AtomicInteger calls = new AtomicInteger();
      Denoiser inner = TARGET.denoiser();
      Denoiser checking = (x, t) -> {
        calls.incrementAndGet();
        assertThat(x.shape()).as("%s: shape of x handed to the denoiser", provider.name()).containsExactly(shape);
        assertThat(x.dtype()).as("%s: dtype of x handed to the denoiser", provider.name()).isEqualTo(DType.FLOAT);
        assertThat(t).as("%s: timestep handed to the denoiser", provider.name()).isBetween(0.0, 999.0);
        return inner.predict(x, t);
      };
      Tensor out = sampler.sample(checking, shape, steps, new SplittableRandom(1));
      assertThat(calls.get()).as("%s: denoiser calls for %d steps (evaluations() says %d)", provider.name(), steps,
          sampler.evaluations(steps)).isEqualTo(sampler.evaluations(steps));
      outputIsFiniteFloat(provider.name(), out, shape);
    }
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
    long[] shape = {64, 2};
    Tensor a = sampler.sample(TARGET.denoiser(), shape, 20, new SplittableRandom(5));
    Tensor b = create(provider).sample(TARGET.denoiser(), shape, 20, new SplittableRandom(5));
    Tensor c = sampler.sample(TARGET.denoiser(), shape, 20, new SplittableRandom(6));
    assertThat(a.contentEquals(b)).as("%s: two runs with seed 5 are bit-identical", provider.name()).isTrue();
    assertThat(a.contentEquals(c)).as("%s: seeds 5 and 6 give different samples", provider.name()).isFalse();
  }

  /**
   * Driven by the exact denoiser, samples reach the data law: mean and standard deviation within
   * 0.025 of N(0.5, 0.3²) over 8,000 values (200 steps for ODE samplers, 1,000 for stochastic ones).
   */
  public static void reachesTheDataDistribution(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    int steps = sampler.stochastic() ? 1000 : 200;
    Tensor out = sampler.sample(TARGET.denoiser(), new long[] {4000, 2}, steps, new SplittableRandom(2));
    matchesMoments(provider.name(), steps, out, 0.5, 0.3);
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
   * A deterministic sampler converges along each trajectory at its declared order: the distance to
   * a 1,000-step solution from the same initial noise shrinks by at least 0.6·2^order when the steps
   * double from 25 to 50 (skipped for stochastic samplers, whose trajectories do not converge).
   */
  public static void convergesAtItsOrder(SamplerProvider<?> provider) {
    Sampler sampler = create(provider);
    org.junit.jupiter.api.Assumptions.assumeFalse(sampler.stochastic(),
        provider.name() + " is stochastic: no pathwise order to check");
    long[] shape = {256, 2};
    convergesAtOrder(provider.name(), sampler.order(), steps -> sampler.sample(TARGET.denoiser(), shape, steps,
        new SplittableRandom(3)));
  }

  /**
   * The distance of the 25- and 50-step solutions ({@code solve.apply(steps)}, from one initial
   * state) to the 1,000-step one shrinks by at least 0.6·2^order when the steps double.
   */
  public static void convergesAtOrder(String sampler, int order, IntFunction<Tensor> solve) {
    Tensor ref = solve.apply(1000);
    double e25 = rms(solve.apply(25), ref);
    double e50 = rms(solve.apply(50), ref);
    double want = 0.6 * Math.pow(2, order);
    assertThat(e25 / e50).as(String.format(Locale.ROOT, "%s (order %d): error 25 steps %.3g, 50 steps %.3g",
        sampler, order, e25, e50)).isGreaterThanOrEqualTo(want);
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
