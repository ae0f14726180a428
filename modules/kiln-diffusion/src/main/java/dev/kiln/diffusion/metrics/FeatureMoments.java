package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;
import java.io.Serializable;

/**
 * The first two moments of a set of feature rows in a form that merges: the count, the mean and the centred
 * Gram matrix {@code M2 = Σ (x − μ)(x − μ)ᵀ}. Moments of disjoint parts combine exactly as the moments of
 * their union (Chan, Golub &amp; LeVeque 1979):
 *
 * <pre>
 *   n = nₐ + n_b,   δ = μ_b − μₐ,   μ = μₐ + δ n_b / n,   M2 = M2ₐ + M2_b + δδᵀ nₐ n_b / n
 * </pre>
 *
 * so a Fréchet distance over millions of rows is the {@link #gaussian()} of moments computed per part and
 * merged, with no row held twice. The centred form keeps the rounding of a two-pass covariance (no
 * {@code Σxxᵀ − nμμᵀ} cancellation). Arrays are held as given.
 *
 * @param count rows seen
 * @param mean {@code [d]}
 * @param m2 centred Gram matrix {@code [d, d]}, symmetric
 */
public record FeatureMoments(long count, double[] mean, double[][] m2) implements Serializable {

  public FeatureMoments {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if (m2.length != mean.length) {
      throw new IllegalArgumentException("m2 has " + m2.length + " rows, mean has " + mean.length + " entries");
    }
  }

  /** No rows yet, in {@code d} dimensions: the identity of {@link #plus}. */
  public static FeatureMoments empty(int d) {
    return new FeatureMoments(0, new double[d], new double[d][d]);
  }

  /** The moments of {@code rows [n, d]}, n ≥ 1 (two passes: the mean, then the centred products). */
  public static FeatureMoments of(double[][] rows) {
    int d = Rows.width(rows, "rows", 1);
    int n = rows.length;
    double[] mean = new double[d];
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    double[][] m2 = new double[d][d];
    double[] centred = new double[d];
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        centred[j] = r[j] - mean[j];
      }
      for (int i = 0; i < d; i++) {
        double ci = centred[i];
        double[] row = m2[i];
        for (int j = i; j < d; j++) {
          row[j] += ci * centred[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        m2[j][i] = m2[i][j];
      }
    }
    return new FeatureMoments(n, mean, m2);
  }

  /** {@link #of(double[][])} for {@code features [n, d]} of any element type. */
  public static FeatureMoments of(Tensor features) {
    return of(Rows.of(features, "features"));
  }

  /** The moments of this set and {@code other} together (disjoint sets of one dimension). */
  public FeatureMoments plus(FeatureMoments other) {
    int d = mean.length;
    if (other.mean.length != d) {
      throw new IllegalArgumentException("moments of dimension " + d + " and " + other.mean.length);
    }
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    long n = count + other.count;
    double wb = (double) other.count / n;
    double cross = (double) count * other.count / n;
    double[] delta = new double[d];
    double[] mu = new double[d];
    for (int j = 0; j < d; j++) {
      delta[j] = other.mean[j] - mean[j];
      mu[j] = mean[j] + delta[j] * wb;
    }
    double[][] m = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        m[i][j] = m2[i][j] + other.m2[i][j] + delta[i] * delta[j] * cross;
      }
    }
    return new FeatureMoments(n, mu, m);
  }

  /** The sample mean and unbiased covariance (divisor n − 1, as {@code numpy.cov}); needs n ≥ 2. */
  public Gaussian gaussian() {
    if (count < 2) {
      throw new IllegalArgumentException("a covariance needs at least 2 rows, got " + count);
    }
    int d = mean.length;
    double[][] cov = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i][j] = m2[i][j] / (count - 1);
        cov[j][i] = cov[i][j];
      }
    }
    return new Gaussian(mean.clone(), cov);
  }

  /** Number of dimensions. */
  public int dimension() {
    return mean.length;
  }
}
