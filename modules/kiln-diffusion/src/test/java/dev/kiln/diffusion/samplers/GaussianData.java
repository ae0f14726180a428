package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.process.PredictionType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;

/**
 * Data x₀ ~ N(μ, s²) in every coordinate, for which the ideal denoiser is closed form. With
 * x_t = √ᾱ·x₀ + √(1−ᾱ)·ε, x_t ~ N(√ᾱ·μ, v) with v = ᾱ·s² + 1 − ᾱ, and
 * E[ε | x_t] = √(1−ᾱ)·(x_t − √ᾱ·μ)/v, E[x₀ | x_t] = μ + √ᾱ·s²·(x_t − √ᾱ·μ)/v,
 * E[v | x_t] = √ᾱ·E[ε | x_t] − √(1−ᾱ)·E[x₀ | x_t].
 */
record GaussianData(double mu, double s, NoiseSchedule schedule) {

  /**
   * ᾱ at a training timestep. Between integer timesteps σ = √((1−ᾱ)/ᾱ) is read linearly, the
   * convention of the σ samplers, so that the ideal model and the sampler agree on what x_t means.
   */
  double alphaBar(double t) {
    int last = schedule.numTrainTimesteps() - 1;
    double c = Math.max(0, Math.min(last, t));
    int lo = (int) Math.floor(c);
    if (lo == c) {
      return schedule.alphaCumprod(lo);
    }
    double sigma = schedule.sigma(lo) + (schedule.sigma(lo + 1) - schedule.sigma(lo)) * (c - lo);
    return 1 / (1 + sigma * sigma);
  }

  /** The ideal model predicting {@code type}, on float32 tensors as a network would be. */
  Denoiser denoiser(PredictionType type) {
    return (state, t) -> {
      Tensor x = state.x();
      double ab = alphaBar(t);
      double a = Math.sqrt(ab);
      double b = Math.sqrt(1 - ab);
      double v = ab * s * s + 1 - ab;
      float[] out = new float[x.size()];
      for (int i = 0; i < out.length; i++) {
        double centred = x.getFloat(i) - a * mu;
        double eps = b * centred / v;
        double x0 = mu + a * s * s * centred / v;
        out[i] = (float) switch (type) {
          case EPSILON -> eps;
          case SAMPLE -> x0;
          case V_PREDICTION -> a * eps - b * x0;
        };
      }
      return Tensor.of(out, x.shape());
    };
  }
}
