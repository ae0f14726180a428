package dev.kiln.diffusion.boot;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One-step sampling of a BOOT student ({@link BootTask}): {@code x = g(ε, final_timestep)}, one model
 * call on standard normal noise. The noise is drawn element by element in row-major order, as the
 * diffusion samplers draw their initial noise, so the same generator seed gives the student and a teacher
 * DDIM run the same ε: that is how pairing fidelity ‖g(ε) − DDIM(ε)‖ is measured.
 *
 * <p>The model here is the student, whose input is the noise and whose output is the sample: a one-step
 * generator in {@link Denoiser}'s contract. The sampler promises one step, and the conformance suite
 * drives it with the exact one-step generator of Gaussian data.
 */
public final class BootSampler implements Sampler {

  private final BootSamplerConfig config;

  public BootSampler(BootSamplerConfig config) {
    this.config = config;
  }

  public BootSamplerConfig config() {
    return config;
  }

  /** {@code steps} must be 1. */
  @Override
  public Tensor sample(Denoiser student, long[] shape, int steps, RandomGenerator rng) {
    if (steps != 1) {
      throw new IllegalArgumentException("boot: a BOOT student samples in one step; steps must be 1, got " + steps);
    }
    if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException("sample shape must be [batch, ...] with positive sizes, got "
          + Arrays.toString(shape));
    }
    int size = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    float[] eps = new float[size];
    for (int i = 0; i < size; i++) {
      eps[i] = (float) rng.nextGaussian();
    }
    Tensor out = student.predict(Tensor.of(eps, shape), config.finalTimestep());
    if (out.size() != size) {
      throw new IllegalStateException("the student returned " + out + " for noise of shape " + Arrays.toString(shape));
    }
    return Tensor.of(out.toFloatArray(), shape);
  }

  @Override
  public int evaluations(int steps) {
    return 1;
  }

  @Override
  public Promises promises() {
    return Promises.generator();
  }
}
