package dev.kiln.conformance.phasespace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.diffusion.agm.AgmProcess;
import dev.kiln.diffusion.agm.GaussianMixtureOracle;
import dev.kiln.graph.DType;
import dev.kiln.conformance.samplers.SamplerChecks;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.PhaseSpaceDenoiser;
import dev.kiln.spi.PhaseSpaceSampler;
import dev.kiln.spi.PhaseSpaceSamplerProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * What a correct phase-space sampler does, as checks that throw an {@link AssertionError} saying
 * what is wrong. The sampler is made from its provider's example config. When that config names an
 * AGM {@code process} (arXiv 2310.07805), the sampler is driven by the exact model of Gaussian data
 * under that process ({@link GaussianMixtureOracle}) and must reach the data law, and a
 * deterministic sampler must converge at its declared order; samplers for other processes get the
 * call, shape and determinism checks only.
 */
public final class PhaseSpaceSamplerChecks {

  /** The data law the distribution checks use, per coordinate: N(0.5, 0.3²). */
  static final double MEAN = 0.5;
  static final double STD = 0.3;

  private PhaseSpaceSamplerChecks() {}

  /** Every check by its name, in report order. */
  public static Map<String, Runnable> all(PhaseSpaceSamplerProvider<?> provider) {
    Map<String, Runnable> checks = new LinkedHashMap<>();
    checks.put("calls the model as declared", () -> callsTheModelAsDeclared(provider));
    checks.put("seeded runs are bit-identical", () -> seededRunsAreBitIdentical(provider));
    checks.put("reaches the data distribution", () -> reachesTheDataDistribution(provider));
    checks.put("converges at its order", () -> convergesAtItsOrder(provider));
    return checks;
  }

  /** The sampler of the provider's example config. */
  public static <C> PhaseSpaceSampler create(PhaseSpaceSamplerProvider<C> provider) {
    return provider.create(provider.exampleConfig());
  }

  /** The AGM process the example config names, or null when it names none. */
  static <C> AgmProcess process(PhaseSpaceSamplerProvider<C> provider) {
    JsonNode json = Configs.toTree(provider.exampleConfig());
    JsonNode p = json == null ? null : json.get("process");
    if (p == null || p.isNull()) {
      return null;
    }
    return Configs.read(p, AgmProcess.class, provider.name() + " example config: process");
  }

  /** The exact model of N(0.5, 0.3²) per coordinate, for {@code dims} coordinates per example. */
  static PhaseSpaceDenoiser exact(AgmProcess process, int dims) {
    return GaussianMixtureOracle.isotropic(MEAN, STD, dims).agm(process);
  }

  /** The exact model when the process is known, else a model that outputs zeros (for the structural checks). */
  private static PhaseSpaceDenoiser anyModel(AgmProcess process, int dims) {
    return process != null ? exact(process, dims) : (x, v, t) -> Tensor.zeros(DType.FLOAT, x.shape());
  }

  /**
   * The sampler calls the model {@code evaluations(steps)} times with float32 x and v of the
   * requested shape and finite times, and returns a finite float32 tensor of that shape.
   */
  public static void callsTheModelAsDeclared(PhaseSpaceSamplerProvider<?> provider) {
    PhaseSpaceSampler sampler = create(provider);
    AgmProcess process = process(provider);
    long[] shape = {3, 2, 5};
    PhaseSpaceDenoiser inner = anyModel(process, 10);
    for (int steps : new int[] {4, 13, 30}) {
      AtomicInteger calls = new AtomicInteger();
      PhaseSpaceDenoiser checking = (x, v, t) -> {
        calls.incrementAndGet();
        assertThat(x.shape()).as("%s: shape of x handed to the model", provider.name()).containsExactly(shape);
        assertThat(v.shape()).as("%s: shape of v handed to the model", provider.name()).containsExactly(shape);
        assertThat(x.dtype()).as("%s: dtype of x handed to the model", provider.name()).isEqualTo(DType.FLOAT);
        assertThat(v.dtype()).as("%s: dtype of v handed to the model", provider.name()).isEqualTo(DType.FLOAT);
        assertThat(Double.isFinite(t)).as("%s: time handed to the model is finite (%s)", provider.name(), t).isTrue();
        return inner.predict(x, v, t);
      };
      Tensor out = sampler.sample(checking, shape, steps, new SplittableRandom(1));
      assertThat(calls.get()).as("%s: model calls for %d steps (evaluations() says %d)", provider.name(), steps,
          sampler.evaluations(steps)).isEqualTo(sampler.evaluations(steps));
      SamplerChecks.outputIsFiniteFloat(provider.name(), out, shape);
    }
  }

  /** The same generator seed gives bit-identical samples; another seed gives different ones. */
  public static void seededRunsAreBitIdentical(PhaseSpaceSamplerProvider<?> provider) {
    PhaseSpaceDenoiser model = anyModel(process(provider), 2);
    long[] shape = {64, 2};
    Tensor a = create(provider).sample(model, shape, 20, new SplittableRandom(5));
    Tensor b = create(provider).sample(model, shape, 20, new SplittableRandom(5));
    Tensor c = create(provider).sample(model, shape, 20, new SplittableRandom(6));
    assertThat(a.contentEquals(b)).as("%s: two runs with seed 5 are bit-identical", provider.name()).isTrue();
    assertThat(a.contentEquals(c)).as("%s: seeds 5 and 6 give different samples", provider.name()).isFalse();
  }

  /**
   * Driven by the exact model, samples reach the data law: mean and standard deviation within 0.025
   * of N(0.5, 0.3²) over 8,000 values (200 steps for deterministic samplers, 1,000 for stochastic ones).
   */
  public static void reachesTheDataDistribution(PhaseSpaceSamplerProvider<?> provider) {
    AgmProcess process = process(provider);
    Assumptions.assumeTrue(process != null, provider.name() + " names no AGM process: no exact model known");
    PhaseSpaceSampler sampler = create(provider);
    int steps = sampler.stochastic() ? 1000 : 200;
    Tensor out = sampler.sample(exact(process, 2), new long[] {4000, 2}, steps, new SplittableRandom(2));
    SamplerChecks.matchesMoments(provider.name(), steps, out, MEAN, STD);
  }

  /**
   * A deterministic sampler converges along each trajectory at its declared order: the distance to
   * a 1,000-step solution from the same initial state shrinks by at least 0.6·2^order when the
   * steps double from 25 to 50 (skipped for stochastic samplers and for unknown processes).
   */
  public static void convergesAtItsOrder(PhaseSpaceSamplerProvider<?> provider) {
    PhaseSpaceSampler sampler = create(provider);
    Assumptions.assumeFalse(sampler.stochastic(), provider.name() + " is stochastic: no pathwise order to check");
    AgmProcess process = process(provider);
    Assumptions.assumeTrue(process != null, provider.name() + " names no AGM process: no exact model known");
    PhaseSpaceDenoiser model = exact(process, 2);
    long[] shape = {256, 2};
    SamplerChecks.convergesAtOrder(provider.name(), sampler.order(), steps -> sampler.sample(model, shape, steps,
        new SplittableRandom(3)));
  }
}
