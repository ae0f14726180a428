package dev.kiln.spi;

import dev.kiln.runtime.Tensor;
import java.util.random.RandomGenerator;

/**
 * A reverse-diffusion sampler. A sampler holds no state between calls to {@link #sample}; all noise
 * comes from the generator it is handed, so the same generator seed gives bit-identical samples.
 */
public interface Sampler {

  /**
   * Draws samples of shape {@code shape} in {@code steps} sampling steps.
   *
   * @param denoiser the model
   * @param shape sample shape, batch first
   * @param steps number of sampling steps
   * @param rng source of the initial noise and of any per-step noise
   */
  Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng);

  /** Model evaluations {@link #sample} makes for {@code steps} steps. */
  default int evaluations(int steps) {
    return steps;
  }

  /**
   * Whether the sampler draws fresh noise after the initial sample (ancestral and SDE samplers); a
   * deterministic sampler is an ODE solver whose output converges as the steps grow.
   */
  default boolean stochastic() {
    return false;
  }

  /** The order of convergence of a deterministic sampler in the step size (1 for DDIM and Euler). */
  default int order() {
    return 1;
  }
}
