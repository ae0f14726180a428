package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.PredictionType;

/**
 * What a model output says about the point {@code x = √ᾱ·x₀ + √(1−ᾱ)·ε} it was given: the clean
 * sample x̂₀ and the noise ε̂, whatever the network predicts. Every sampler here reasons in x̂₀ or ε̂,
 * so this is the only place that knows about prediction types.
 *
 * @param x0 x̂₀, same length as x
 * @param eps ε̂, same length as x
 */
record Denoised(double[] x0, double[] eps) {

  /**
   * @param out the model output at x
   * @param x the model input (variance-preserving scale)
   * @param alphaBar ᾱ of that input
   */
  static Denoised of(PredictionType type, double[] out, double[] x, double alphaBar) {
    double a = Math.sqrt(alphaBar);
    double s = Math.sqrt(1 - alphaBar);
    int n = x.length;
    double[] x0 = new double[n];
    double[] eps = new double[n];
    switch (type) {
      case EPSILON -> {
        for (int i = 0; i < n; i++) {
          eps[i] = out[i];
          x0[i] = (x[i] - s * out[i]) / a;
        }
      }
      case SAMPLE -> {
        for (int i = 0; i < n; i++) {
          x0[i] = out[i];
          eps[i] = (x[i] - a * out[i]) / s;
        }
      }
      case V_PREDICTION -> {
        for (int i = 0; i < n; i++) {
          x0[i] = a * x[i] - s * out[i];
          eps[i] = a * out[i] + s * x[i];
        }
      }
      default -> throw new IllegalStateException(type.id());
    }
    return new Denoised(x0, eps);
  }
}
