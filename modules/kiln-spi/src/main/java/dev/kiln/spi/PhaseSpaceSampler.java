package dev.kiln.spi;

import dev.kiln.runtime.Tensor;
import java.util.random.RandomGenerator;

/**
 * A sampler of a phase-space generative model: it integrates position and velocity together and
 * returns positions. The counterpart of {@link Sampler} for {@link PhaseSpaceDenoiser}s; it holds no
 * state between calls, and all noise comes from the generator it is handed.
 */
public interface PhaseSpaceSampler {

  /**
   * Draws position samples of shape {@code shape} in {@code steps} sampling steps.
   *
   * @param denoiser the model
   * @param shape sample shape, batch first (velocities have the same shape)
   * @param steps number of sampling steps
   * @param rng source of the initial state and of any per-step noise
   */
  Tensor sample(PhaseSpaceDenoiser denoiser, long[] shape, int steps, RandomGenerator rng);

  /** Model evaluations {@link #sample} makes for {@code steps} steps. */
  default int evaluations(int steps) {
    return steps;
  }

  /** Whether the sampler draws fresh noise after the initial state (SDE samplers). */
  default boolean stochastic() {
    return false;
  }

  /** The order of convergence of a deterministic sampler in the step size. */
  default int order() {
    return 1;
  }
}
