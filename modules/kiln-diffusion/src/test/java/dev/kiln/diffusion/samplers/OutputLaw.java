package dev.kiln.diffusion.samplers;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.SplittableRandom;

/**
 * Mean and standard deviation of a sampler's output distribution.
 *
 * @param mean per-coordinate mean
 * @param std per-coordinate standard deviation
 */
record OutputLaw(double mean, double std) {

  /** The moments of the samples themselves: the law up to Monte Carlo error. */
  static OutputLaw ofSamples(Tensor samples) {
    double[] v = samples.toDoubleArray();
    double m = 0;
    for (double d : v) {
      m += d;
    }
    m /= v.length;
    double ss = 0;
    for (double d : v) {
      ss += (d - m) * (d - m);
    }
    return new OutputLaw(m, Math.sqrt(ss / (v.length - 1)));
  }

  /**
   * The exact law of a deterministic sampler driven by an affine denoiser. Then every output
   * coordinate is the same affine function a·z + b of its initial noise z ~ N(0, 1), so the law is
   * N(b, a²) with no Monte Carlo error; a and b come from a least-squares fit against the initial
   * noise, which is the first draws of a generator with the same seed.
   */
  static OutputLaw ofDeterministic(Sampler sampler, Denoiser denoiser, int count, int steps, long seed) {
    double[] y = sampler.sample(denoiser, new long[] {count, 1}, steps, new SplittableRandom(seed)).toDoubleArray();
    SplittableRandom rng = new SplittableRandom(seed);
    double[] z = new double[count];
    for (int i = 0; i < count; i++) {
      z[i] = rng.nextGaussian();
    }
    double mz = 0;
    double my = 0;
    for (int i = 0; i < count; i++) {
      mz += z[i];
      my += y[i];
    }
    mz /= count;
    my /= count;
    double szy = 0;
    double szz = 0;
    for (int i = 0; i < count; i++) {
      szy += (z[i] - mz) * (y[i] - my);
      szz += (z[i] - mz) * (z[i] - mz);
    }
    double a = szy / szz;
    return new OutputLaw(my - a * mz, Math.abs(a));
  }

  /** The larger of the errors in mean and in standard deviation. */
  double error(double mu, double s) {
    return Math.max(Math.abs(mean - mu), Math.abs(std - s));
  }
}
