package dev.kiln.conformance.samplers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.diffusion.agm.AgmSamplerConfig;
import dev.kiln.diffusion.agm.GddimProvider;
import dev.kiln.runtime.Tensor;
import dev.kiln.diffusion.boot.BootSamplerProvider;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import dev.kiln.spi.StateSpace;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The checks can fail: each kind of broken sampler is rejected with a message that names the fault. */
class ChecksRejectBrokenSamplersTest {

  /** gDDIM with one fault added by {@code breaker}. */
  private static SamplerProvider<AgmSamplerConfig> broken(String name,
      UnaryOperator<Sampler> breaker) {
    return broken(new GddimProvider(), name, breaker);
  }

  /** {@code good}'s sampler with one fault added by {@code breaker}. */
  private static <C> SamplerProvider<C> broken(SamplerProvider<C> good, String name,
      UnaryOperator<Sampler> breaker) {
    return new SamplerProvider<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Class<C> configType() {
        return good.configType();
      }

      @Override
      public C exampleConfig() {
        return good.exampleConfig();
      }

      @Override
      public Sampler create(C config) {
        return breaker.apply(good.create(config));
      }
    };
  }

  /** Delegates everything to {@code s} unless overridden. */
  private static class Wrapped implements Sampler {
    final Sampler s;

    Wrapped(Sampler s) {
      this.s = s;
    }

    @Override
    public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
      return s.sample(d, shape, steps, rng);
    }

    @Override
    public Promises promises() {
      return s.promises();
    }
  }

  @Test
  void anUndeclaredModelCallIsReported() {
    var p = broken("extra-call", s -> new Wrapped(s) {
      @Override
      public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
        return s.sample((state, t) -> {
          d.predict(state, t);
          return d.predict(state, t);
        }, shape, steps, rng);
      }
    });
    assertThatThrownBy(() -> SamplerChecks.callsTheDenoiserAsDeclared(p))
        .hasMessageContaining("extra-call: denoiser calls for 4 steps (evaluations() says 4)");
  }

  @Test
  void ignoringTheGeneratorIsReported() {
    var p = broken("own-seed", s -> new Wrapped(s) {
      @Override
      public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
        return s.sample(d, shape, steps, new SplittableRandom(0));
      }
    });
    assertThatThrownBy(() -> SamplerChecks.seededRunsAreBitIdentical(p))
        .hasMessageContaining("own-seed: seeds 5 and 6 give different samples");
  }

  @Test
  void stoppingHalfwayIsReported() {
    var p = broken("half-way", s -> new Wrapped(s) {
      @Override
      public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
        return s.sample((state, t) -> d.predict(state, 0.5 * t), shape, steps, rng);
      }
    });
    assertThatThrownBy(() -> SamplerChecks.reachesTheDataDistribution(p))
        .hasMessageContaining("half-way: sample");
  }

  @Test
  void anOverstatedOrderIsReported() {
    var p = broken("overstated", s -> new Wrapped(s) {
      @Override
      public Promises promises() {
        return Promises.ode(s.promises().stateSpace(), s.promises().order() + 2);
      }
    });
    assertThatThrownBy(() -> SamplerChecks.convergesAtItsOrder(p))
        .hasMessageContaining("overstated (order 5)");
  }

  @Test
  void aPhaseSpaceSamplerPromisingPositionsIsReported() {
    var p = broken("wrong-space", s -> new Wrapped(s) {
      @Override
      public Promises promises() {
        return Promises.ode(StateSpace.POSITION, s.promises().order());
      }
    });
    assertThatThrownBy(() -> SamplerChecks.callsTheDenoiserAsDeclared(p))
        .hasMessageContaining("wrong-space: state handed to the denoiser (it promises position)");
  }

  @Test
  void aOneStepSamplerWithTheWrongNoiseIsReported() {
    BootSamplerProvider good = new BootSamplerProvider();
    var p = new SamplerProvider<dev.kiln.diffusion.boot.BootSamplerConfig>() {
      @Override
      public String name() {
        return "scaled-noise";
      }

      @Override
      public Class<dev.kiln.diffusion.boot.BootSamplerConfig> configType() {
        return good.configType();
      }

      @Override
      public Sampler create(dev.kiln.diffusion.boot.BootSamplerConfig config) {
        Sampler s = good.create(config);
        return new Sampler() {
          @Override
          public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
            return s.sample((state, t) -> {
              Tensor half = state.x().copy();
              for (int i = 0; i < half.size(); i++) {
                half.set(i, 0.5 * half.get(i));
              }
              return d.predict(half, t);
            }, shape, steps, rng);
          }

          @Override
          public int evaluations(int steps) {
            return 1;
          }

          @Override
          public Promises promises() {
            return Promises.generator();
          }
        };
      }
    };
    assertThatThrownBy(() -> SamplerChecks.reachesTheDataDistribution(p)).hasMessageContaining("scaled-noise noise");
  }

  @Test
  void sharedStateBetweenCallsIsReported() {
    var p = broken("shared-state", s -> new Wrapped(s) {
      private Tensor last;

      @Override
      public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
        // keeps the previous call's output in a field and hands it out: right alone, wrong under threads
        Tensor mine = s.sample(d, shape, steps, rng);
        last = mine;
        Thread.yield();
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return last;
      }
    });
    assertThatThrownBy(() -> SamplerChecks.sameResultsFromSeveralThreads(p))
        .hasMessageContaining("shared-state: call").hasMessageContaining("from four threads at once");
  }

  @Test
  void writingIntoTheModelsOutputIsReported() {
    var p = broken("scribbler", s -> new Wrapped(s) {
      @Override
      public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
        return s.sample((state, t) -> {
          Tensor out = d.predict(state, t);
          out.set(0, out.get(0) * 0.5);
          return out.copy();
        }, shape, steps, rng);
      }
    });
    assertThatThrownBy(() -> SamplerChecks.leavesWhatItIsHandedUnchanged(p))
        .hasMessageContaining("scribbler: the tensor the model returned at call 1 is unchanged");
  }

  @Test
  void aNanAtLargeStepCountsIsReported() {
    var p = broken("nan-past-1000", s -> new Wrapped(s) {
      @Override
      public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
        Tensor out = s.sample(d, shape, steps, rng);
        if (steps > 1000) {
          out.set(0, Double.NaN);
        }
        return out;
      }
    });
    assertThatThrownBy(() -> SamplerChecks.finiteOutputForEveryStepCount(p))
        .hasMessageContaining("nan-past-1000 with 1001 steps: output element 0 is finite");
  }

  @Test
  void noiseLeftAtTheEndIsReported() {
    var p = broken(new dev.kiln.diffusion.samplers.DdimProvider(), "noisy-end", s -> new Wrapped(s) {
      @Override
      public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
        Tensor out = s.sample(d, shape, steps, rng);
        for (int i = 0; i < out.size(); i++) {
          out.set(i, out.get(i) + 0.01 * rng.nextGaussian());
        }
        return out;
      }
    });
    assertThatThrownBy(() -> SamplerChecks.endsAtTheDataWithNoNoiseLeft(p))
        .hasMessageContaining("noisy-end: largest distance of a sample from the data point 0.5 after 50 steps");
  }

  /** DDIM with dynamic thresholding on (the default ratio and sample_max_value). */
  private static SamplerProvider<dev.kiln.diffusion.samplers.DdimConfig> thresholdingDdim() {
    return SamplerChecks.withFields(new dev.kiln.diffusion.samplers.DdimProvider(),
        java.util.Map.of("thresholding", true), "with thresholding");
  }

  @Test
  void thresholdingThatNeverClipsIsReported() {
    Sampler unclipped = SamplerChecks.create(new dev.kiln.diffusion.samplers.DdimProvider());
    var p = broken(thresholdingDdim(), "never-clips", s -> unclipped);
    assertThatThrownBy(() -> SamplerChecks.thresholdsOnlyOutsideItsRange(p))
        .hasMessageContaining("never-clips: largest distance of a sample from [1.0, -1.0, 0.5, 1.0, -0.25], where thresholding");
  }

  @Test
  void thresholdingThatChangesSamplesInsideItsRangeIsReported() {
    SamplerProvider<dev.kiln.diffusion.samplers.DdimConfig> good = thresholdingDdim();
    var p = new SamplerProvider<dev.kiln.diffusion.samplers.DdimConfig>() {
      @Override
      public String name() {
        return "rescales-when-thresholding";
      }

      @Override
      public Class<dev.kiln.diffusion.samplers.DdimConfig> configType() {
        return good.configType();
      }

      @Override
      public dev.kiln.diffusion.samplers.DdimConfig exampleConfig() {
        return good.exampleConfig();
      }

      @Override
      public Sampler create(dev.kiln.diffusion.samplers.DdimConfig config) {
        Sampler s = new dev.kiln.diffusion.samplers.DdimProvider().create(config);
        return !config.thresholding() ? s : new Wrapped(s) {
          @Override
          public Tensor sample(Denoiser d, long[] shape, int steps, RandomGenerator rng) {
            Tensor out = s.sample(d, shape, steps, rng);
            for (int i = 0; i < out.size(); i++) {
              out.set(i, out.get(i) / 1.001);
            }
            return out;
          }
        };
      }
    };
    assertThatThrownBy(() -> SamplerChecks.thresholdsOnlyOutsideItsRange(p)).hasMessageContaining(
        "rescales-when-thresholding: with data inside the thresholding range, samples with thresholding on are"
            + " bit-identical to samples with it off");
  }
}
