package dev.kiln.conformance.phasespace;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.diffusion.agm.AgmSamplerConfig;
import dev.kiln.diffusion.agm.GddimProvider;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.PhaseSpaceDenoiser;
import dev.kiln.spi.PhaseSpaceSampler;
import dev.kiln.spi.PhaseSpaceSamplerProvider;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The checks can fail: each kind of broken sampler is rejected with a message that names the fault. */
class PhaseSpaceChecksRejectBrokenSamplersTest {

  /** gDDIM with one fault added by {@code breaker}. */
  private static PhaseSpaceSamplerProvider<AgmSamplerConfig> broken(String name,
      UnaryOperator<PhaseSpaceSampler> breaker) {
    GddimProvider good = new GddimProvider();
    return new PhaseSpaceSamplerProvider<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Class<AgmSamplerConfig> configType() {
        return AgmSamplerConfig.class;
      }

      @Override
      public PhaseSpaceSampler create(AgmSamplerConfig config) {
        return breaker.apply(good.create(config));
      }
    };
  }

  /** Delegates everything to {@code s} unless overridden. */
  private static class Wrapped implements PhaseSpaceSampler {
    final PhaseSpaceSampler s;

    Wrapped(PhaseSpaceSampler s) {
      this.s = s;
    }

    @Override
    public Tensor sample(PhaseSpaceDenoiser d, long[] shape, int steps, RandomGenerator rng) {
      return s.sample(d, shape, steps, rng);
    }

    @Override
    public int order() {
      return s.order();
    }
  }

  @Test
  void anUndeclaredModelCallIsReported() {
    var p = broken("extra-call", s -> new Wrapped(s) {
      @Override
      public Tensor sample(PhaseSpaceDenoiser d, long[] shape, int steps, RandomGenerator rng) {
        return s.sample((x, v, t) -> {
          d.predict(x, v, t);
          return d.predict(x, v, t);
        }, shape, steps, rng);
      }
    });
    assertThatThrownBy(() -> PhaseSpaceSamplerChecks.callsTheModelAsDeclared(p))
        .hasMessageContaining("extra-call: model calls for 4 steps (evaluations() says 4)");
  }

  @Test
  void ignoringTheGeneratorIsReported() {
    var p = broken("own-seed", s -> new Wrapped(s) {
      @Override
      public Tensor sample(PhaseSpaceDenoiser d, long[] shape, int steps, RandomGenerator rng) {
        return s.sample(d, shape, steps, new SplittableRandom(0));
      }
    });
    assertThatThrownBy(() -> PhaseSpaceSamplerChecks.seededRunsAreBitIdentical(p))
        .hasMessageContaining("own-seed: seeds 5 and 6 give different samples");
  }

  @Test
  void stoppingHalfwayIsReported() {
    var p = broken("half-way", s -> new Wrapped(s) {
      @Override
      public Tensor sample(PhaseSpaceDenoiser d, long[] shape, int steps, RandomGenerator rng) {
        return s.sample((x, v, t) -> d.predict(x, v, 0.5 * t), shape, steps, rng);
      }
    });
    assertThatThrownBy(() -> PhaseSpaceSamplerChecks.reachesTheDataDistribution(p))
        .hasMessageContaining("half-way: sample");
  }

  @Test
  void anOverstatedOrderIsReported() {
    var p = broken("overstated", s -> new Wrapped(s) {
      @Override
      public int order() {
        return s.order() + 2;
      }
    });
    assertThatThrownBy(() -> PhaseSpaceSamplerChecks.convergesAtItsOrder(p))
        .hasMessageContaining("overstated (order 5)");
  }
}
