package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.NoiseSchedule;

/**
 * The training schedule as k-diffusion noise levels σ_t = √((1−ᾱ_t)/ᾱ_t), t = 0..T−1, for the
 * samplers that step in σ (x = x₀ + σ·ε, i.e. the variance-preserving x_t times √(σ²+1)).
 */
final class SigmaTable {

  /**
   * ᾱ_{T−1} used instead of 0 under zero terminal SNR, so that σ_max is finite (4096); diffusers uses
   * the same value (the smallest fp16 subnormal). It is larger than ᾱ_{T−2} of a rescaled linear
   * schedule (σ_{T−2} ≈ 15400), so σ is not monotone there: with several hundred trailing steps the
   * Euler samplers step up in σ once and go wrong, in diffusers as here; DDIM and DPM-Solver do not.
   */
  static final double ZERO_SNR_ALPHA_BAR = 0x1p-24;

  /** EDM's ρ (arXiv 2206.00364, eq. 5): the Karras schedule spaces σ^{1/ρ} evenly. */
  static final double RHO = 7;

  private final double[] sigmas;
  private final double[] logSigmas;

  private SigmaTable(double[] sigmas) {
    this.sigmas = sigmas;
    this.logSigmas = new double[sigmas.length];
    for (int i = 0; i < sigmas.length; i++) {
      logSigmas[i] = Math.log(sigmas[i]);
    }
  }

  static SigmaTable of(NoiseSchedule schedule, boolean zeroTerminalSnr) {
    double[] ab = schedule.alphasCumprod();
    if (zeroTerminalSnr) {
      ab[ab.length - 1] = ZERO_SNR_ALPHA_BAR;
    }
    double[] s = new double[ab.length];
    for (int i = 0; i < ab.length; i++) {
      s[i] = Math.sqrt((1 - ab[i]) / ab[i]);
    }
    return new SigmaTable(s);
  }

  /** σ_t for integer t. */
  double at(int t) {
    return sigmas[t];
  }

  /** σ at a fractional timestep, linear in t between table entries (numpy.interp), clamped at the ends. */
  double at(double t) {
    if (t <= 0) {
      return sigmas[0];
    }
    int last = sigmas.length - 1;
    if (t >= last) {
      return sigmas[last];
    }
    int lo = (int) Math.floor(t);
    return sigmas[lo] + (sigmas[lo + 1] - sigmas[lo]) * (t - lo);
  }

  /** Number of training timesteps. */
  int length() {
    return sigmas.length;
  }

  /**
   * The fractional timestep of noise level σ: log σ interpolated linearly between the two table
   * entries around it, clamped to [0, T−1]. This is how σ-stepping samplers talk to a network trained
   * on timesteps.
   */
  double timestep(double sigma) {
    double ls = Math.log(Math.max(sigma, 1e-10));
    int lo = 0;
    for (int i = 0; i < logSigmas.length; i++) {
      if (logSigmas[i] <= ls) {
        lo = i;
      }
    }
    lo = Math.min(lo, logSigmas.length - 2);
    double w = (logSigmas[lo] - ls) / (logSigmas[lo] - logSigmas[lo + 1]);
    w = Math.max(0, Math.min(1, w));
    return lo + w;
  }

  /** The Karras et al. schedule: n levels from σ_max down to σ_min, evenly spaced in σ^{1/ρ}. */
  static double[] karras(int n, double sigmaMin, double sigmaMax) {
    double[] ramp = TimestepSpacing.linspace(1, n);
    double minInv = Math.pow(sigmaMin, 1 / RHO);
    double maxInv = Math.pow(sigmaMax, 1 / RHO);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.pow(maxInv + ramp[i] * (minInv - maxInv), RHO);
    }
    return s;
  }
}
