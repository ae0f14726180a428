package dev.kiln.spi.process;

/**
 * The discrete forward process {@code x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε} over {@code T} training timesteps,
 * computed in double precision from diffusers-style settings.
 */
public final class NoiseSchedule {

  private final double[] betas;
  private final double[] alphasCumprod;

  private NoiseSchedule(double[] betas) {
    this.betas = betas;
    this.alphasCumprod = new double[betas.length];
    double prod = 1;
    for (int i = 0; i < betas.length; i++) {
      prod *= 1 - betas[i];
      alphasCumprod[i] = prod;
    }
  }

  /**
   * The schedule diffusers builds for these settings.
   *
   * @param trainedBetas explicit betas (overrides the rest), or null
   * @param rescaleZeroTerminalSnr shift and scale √ᾱ so that ᾱ_T = 0 (Lin et al. 2023, arXiv 2305.08891)
   */
  public static NoiseSchedule of(int numTrainTimesteps, double betaStart, double betaEnd, BetaSchedule kind,
      double[] trainedBetas, boolean rescaleZeroTerminalSnr) {
    if (numTrainTimesteps < 2) {
      throw new IllegalArgumentException("num_train_timesteps must be >= 2, got " + numTrainTimesteps);
    }
    if (!(betaStart > 0 && betaStart < 1) || !(betaEnd > 0 && betaEnd < 1)) {
      throw new IllegalArgumentException("beta_start and beta_end must be in (0, 1), got " + betaStart + ", "
          + betaEnd);
    }
    double[] b;
    if (trainedBetas != null) {
      b = trainedBetas.clone();
    } else {
      int n = numTrainTimesteps;
      b = new double[n];
      switch (kind) {
        case LINEAR -> {
          for (int i = 0; i < n; i++) {
            b[i] = betaStart + (betaEnd - betaStart) * i / (n - 1);
          }
        }
        case SCALED_LINEAR -> {
          double s0 = Math.sqrt(betaStart);
          double s1 = Math.sqrt(betaEnd);
          for (int i = 0; i < n; i++) {
            double r = s0 + (s1 - s0) * i / (n - 1);
            b[i] = r * r;
          }
        }
        case SQUAREDCOS_CAP_V2 -> {
          for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            b[i] = Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
          }
        }
        default -> throw new IllegalStateException();
      }
    }
    if (rescaleZeroTerminalSnr) {
      b = rescaleZeroTerminalSnr(b);
    }
    return new NoiseSchedule(b);
  }

  private static double cosineAlphaBar(double t) {
    double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }

  /** Algorithm 1 of arXiv 2305.08891: make √ᾱ_T zero while keeping √ᾱ_0. */
  static double[] rescaleZeroTerminalSnr(double[] betas) {
    int n = betas.length;
    double[] sqrtAb = new double[n];
    double prod = 1;
    for (int i = 0; i < n; i++) {
      prod *= 1 - betas[i];
      sqrtAb[i] = Math.sqrt(prod);
    }
    double first = sqrtAb[0];
    double last = sqrtAb[n - 1];
    for (int i = 0; i < n; i++) {
      sqrtAb[i] = (sqrtAb[i] - last) * first / (first - last);
    }
    double[] out = new double[n];
    double prev = 1;
    for (int i = 0; i < n; i++) {
      double ab = sqrtAb[i] * sqrtAb[i];
      out[i] = 1 - ab / prev;
      prev = ab;
    }
    return out;
  }

  public int numTrainTimesteps() {
    return betas.length;
  }

  /** β_t. */
  public double beta(int t) {
    return betas[t];
  }

  /** ᾱ_t = Π_{s≤t} (1 − β_s). */
  public double alphaCumprod(int t) {
    return alphasCumprod[t];
  }

  /**
   * ᾱ at a fractional timestep: σ = √((1−ᾱ)/ᾱ) read linearly between the neighbouring integer
   * timesteps (the convention of the σ-based samplers), clamped to [0, T−1].
   */
  public double alphaCumprod(double t) {
    int last = alphasCumprod.length - 1;
    double c = Math.max(0, Math.min(last, t));
    int lo = (int) Math.floor(c);
    if (lo == c) {
      return alphasCumprod[lo];
    }
    double s = sigma(lo) + (sigma(lo + 1) - sigma(lo)) * (c - lo);
    return 1 / (1 + s * s);
  }

  /** All betas (copy). */
  public double[] betas() {
    return betas.clone();
  }

  /** All ᾱ (copy). */
  public double[] alphasCumprod() {
    return alphasCumprod.clone();
  }

  /** σ_t = √((1−ᾱ_t)/ᾱ_t), the noise level in the variance-exploding (k-diffusion) view. */
  public double sigma(int t) {
    return Math.sqrt((1 - alphasCumprod[t]) / alphasCumprod[t]);
  }
}
