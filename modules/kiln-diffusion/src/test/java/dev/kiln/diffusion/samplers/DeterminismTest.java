package dev.kiln.diffusion.samplers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.spi.process.PredictionType;
import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** All noise comes from the generator passed in; samplers keep no state between runs. */
class DeterminismTest {

  private static final long[] SHAPE = {16, 3};

  private static final Denoiser MODEL =
      new GaussianData(0.5, 0.3, DdpmConfig.defaults().schedule().schedule()).denoiser(PredictionType.EPSILON);

  private static Tensor run(Sampler sampler, long seed) {
    return sampler.sample(MODEL, SHAPE, 12, new SplittableRandom(seed));
  }

  @Test
  void sameSeedGivesBitIdenticalSamples() {
    for (String name : DiffusionSamplers.NAMES) {
      Sampler s = DiffusionSamplers.of(name);
      Tensor first = run(s, 7);
      assertThat(first.contentEquals(run(s, 7))).as(name).isTrue();
      assertThat(first.contentEquals(run(DiffusionSamplers.of(name), 7))).as(name + ", new instance").isTrue();
    }
  }

  @Test
  void differentSeedsGiveDifferentSamples() {
    for (String name : DiffusionSamplers.NAMES) {
      Sampler s = DiffusionSamplers.of(name);
      assertThat(run(s, 7).contentEquals(run(s, 8))).as(name).isFalse();
    }
  }

  @Test
  void stochasticSamplersDrawNoiseAfterTheInitialNoise() {
    // same initial noise, different per-step noise: a generator whose later draws differ
    for (String name : new String[] {"ddpm", "euler-ancestral", "dpmpp-2m-sde"}) {
      Sampler s = DiffusionSamplers.of(name);
      Tensor a = s.sample(MODEL, SHAPE, 12, new PrefixRandom(48, 1));
      Tensor b = s.sample(MODEL, SHAPE, 12, new PrefixRandom(48, 2));
      assertThat(a.contentEquals(b)).as(name).isFalse();
    }
    for (String name : new String[] {"ddim", "euler", "dpmpp-2m", "unipc"}) {
      Sampler s = DiffusionSamplers.of(name);
      Tensor a = s.sample(MODEL, SHAPE, 12, new PrefixRandom(48, 1));
      Tensor b = s.sample(MODEL, SHAPE, 12, new PrefixRandom(48, 2));
      assertThat(a.contentEquals(b)).as(name + " draws only its initial noise").isTrue();
    }
  }

  @Test
  void evaluationsCountModelCalls() {
    for (String name : DiffusionSamplers.NAMES) {
      Sampler s = DiffusionSamplers.of(name);
      for (int steps : new int[] {1, 7, 20}) {
        AtomicInteger calls = new AtomicInteger();
        Denoiser counting = (state, t) -> {
          Tensor x = state.x();
          calls.incrementAndGet();
          assertThat(x.shape()).containsExactly(SHAPE);
          return MODEL.predict(x, t);
        };
        s.sample(counting, SHAPE, steps, new SplittableRandom(1));
        assertThat(calls.get()).as("%s, %d steps", name, steps).isEqualTo(s.evaluations(steps));
        assertThat(s.evaluations(steps)).isEqualTo(steps);
      }
    }
  }

  @Test
  void outputsAreFloat32OfTheRequestedShape() {
    for (String name : DiffusionSamplers.NAMES) {
      Tensor x = run(DiffusionSamplers.of(name), 3);
      assertThat(x.shape()).as(name).containsExactly(SHAPE);
      assertThat(x.dtype()).isEqualTo(DType.FLOAT);
      assertThat(Arrays.stream(x.toDoubleArray()).allMatch(Double::isFinite)).as(name).isTrue();
    }
  }

  @Test
  void aDenoiserReturningTheWrongShapeIsAnError() {
    Sampler s = DiffusionSamplers.of("ddim");
    assertThatThrownBy(() -> s.sample((st, t) -> Tensor.of(new float[3], 3), SHAPE, 5, new SplittableRandom(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("denoiser");
  }

  /** Gives {@code prefix} draws from one seed, then draws from another. */
  private static final class PrefixRandom implements RandomGenerator {
    private final SplittableRandom head = new SplittableRandom(99);
    private final SplittableRandom tail;
    private int left;

    PrefixRandom(int prefix, long tailSeed) {
      this.left = prefix;
      this.tail = new SplittableRandom(tailSeed);
    }

    @Override
    public long nextLong() {
      return left-- > 0 ? head.nextLong() : tail.nextLong();
    }

    @Override
    public double nextGaussian() {
      return left-- > 0 ? head.nextGaussian() : tail.nextGaussian();
    }
  }
}
