package dev.kiln.diffusion.samplers;

import java.util.Arrays;

/**
 * What pixel-space samplers do to x̂₀ before using it: nothing, a clamp to ±{@code clip_sample_range}
 * ({@code clip_sample}), or Imagen's dynamic thresholding ({@code thresholding}, arXiv 2205.11487 §2.3):
 * per sample, s = the {@code dynamic_thresholding_ratio} quantile of |x̂₀| clamped to
 * [1, {@code sample_max_value}], then x̂₀ ← clamp(x̂₀, −s, s)/s. Thresholding wins when both are set,
 * as in diffusers. Latent models want neither.
 */
record SampleClipping(boolean clip, double clipRange, boolean dynamic, double ratio, double maxValue) {

  static final SampleClipping NONE = new SampleClipping(false, 1, false, 0.995, 1);

  /** Applies the rule to {@code x0 [batch, …]} in place and returns it. */
  double[] apply(double[] x0, int batch) {
    if (dynamic) {
      int row = x0.length / batch;
      double[] abs = new double[row];
      for (int b = 0; b < batch; b++) {
        for (int i = 0; i < row; i++) {
          abs[i] = Math.abs(x0[b * row + i]);
        }
        double s = Math.min(Math.max(quantile(abs, ratio), 1), maxValue);
        for (int i = 0; i < row; i++) {
          int k = b * row + i;
          x0[k] = Math.max(-s, Math.min(s, x0[k])) / s;
        }
      }
    } else if (clip) {
      for (int i = 0; i < x0.length; i++) {
        x0[i] = Math.max(-clipRange, Math.min(clipRange, x0[i]));
      }
    }
    return x0;
  }

  /** The q-quantile with linear interpolation between order statistics, as torch.quantile; sorts v. */
  static double quantile(double[] v, double q) {
    Arrays.sort(v);
    double pos = q * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, v.length - 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }
}
