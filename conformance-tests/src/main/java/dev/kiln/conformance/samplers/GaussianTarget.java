package dev.kiln.conformance.samplers;

import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;

/**
 * Data x₀ ~ N(μ, s²) in every coordinate under DDPM's linear schedule (T = 1000, β from 1e-4 to
 * 0.02), for which the ideal ε-prediction is closed form: with v = ᾱs² + 1 − ᾱ,
 * {@code E[ε | x_t] = √(1−ᾱ)·(x_t − √ᾱ·μ)/v}.
 *
 * @param mu data mean
 * @param s data standard deviation
 */
public record GaussianTarget(double mu, double s) {

  /** The schedule the samplers under test are configured with. */
  public static final NoiseSchedule SCHEDULE = NoiseSchedule.of(1000, 1e-4, 0.02, BetaSchedule.LINEAR, null, false);

  /** The ideal ε-prediction model, evaluated on float32 tensors as a network would be. */
  public Denoiser denoiser() {
    return (state, t) -> {
      Tensor x = state.x();
      double ab = SCHEDULE.alphaCumprod(t);
      double a = Math.sqrt(ab);
      double b = Math.sqrt(1 - ab);
      double v = ab * s * s + 1 - ab;
      float[] out = new float[x.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (b * (x.getFloat(i) - a * mu) / v);
      }
      return Tensor.of(out, x.shape());
    };
  }

  /**
   * The exact mean and standard deviation of the law a perfect sampler reaches at t = 0, which
   * differ from (μ, s) only by the schedule's ᾱ₀ < 1 (noise left at the last timestep is below 1e-2).
   */
  public double[] moments() {
    return new double[] {mu, s};
  }
}
