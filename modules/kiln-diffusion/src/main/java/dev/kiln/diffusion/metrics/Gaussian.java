package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;

/**
 * A multivariate Gaussian N(mean, covariance), as fitted to feature rows for
 * {@link FrechetDistance}. Arrays are held as given (records compare them by reference).
 *
 * @param mean {@code [d]}
 * @param covariance symmetric positive semi-definite {@code [d, d]}
 */
public record Gaussian(double[] mean, double[][] covariance) {

  public Gaussian {
    int d = mean.length;
    if (d == 0) {
      throw new IllegalArgumentException("a Gaussian needs at least one dimension");
    }
    if (covariance.length != d) {
      throw new IllegalArgumentException("covariance has " + covariance.length + " rows, mean has " + d + " entries");
    }
    for (int i = 0; i < d; i++) {
      if (covariance[i].length != d) {
        throw new IllegalArgumentException("covariance row " + i + " has " + covariance[i].length
            + " values, expected " + d);
      }
    }
  }

  /** N(mean, σ² I) in {@code mean.length} dimensions. */
  public static Gaussian isotropic(double[] mean, double sigma) {
    double[][] cov = new double[mean.length][mean.length];
    for (int i = 0; i < mean.length; i++) {
      cov[i][i] = sigma * sigma;
    }
    return new Gaussian(mean.clone(), cov);
  }

  /**
   * The sample mean and unbiased sample covariance (divisor n − 1, as {@code numpy.cov}) of
   * {@code rows [n, d]}, n ≥ 2.
   */
  public static Gaussian fit(double[][] rows) {
    Rows.width(rows, "rows", 2);
    return FeatureMoments.of(rows).gaussian();
  }

  /** {@link #fit(double[][])} for {@code features [n, d]} of any element type. */
  public static Gaussian fit(Tensor features) {
    return fit(Rows.of(features, "features"));
  }

  /** Number of dimensions. */
  public int dimension() {
    return mean.length;
  }
}
