package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Squared maximum mean discrepancy (Gretton et al. 2012, JMLR 13) with a multi-bandwidth RBF
 * kernel, unbiased U-statistic estimator. For {@code x [m, d]} and {@code y [n, d]}:
 *
 * <pre>
 *   k(a, b) = Σ_σ exp(−‖a − b‖² / (2σ²)),   σ ∈ {0.5, 1, 2} · median{‖p − q‖ : p ≠ q in X ∪ Y}
 *
 *   MMD²_u = 1/(m(m−1)) Σ_{i≠j} k(x_i, x_j) + 1/(n(n−1)) Σ_{i≠j} k(y_i, y_j) − 2/(mn) Σ_{i,j} k(x_i, y_j)
 * </pre>
 *
 * The median runs over all pairs of at most {@value #MEDIAN_POINTS} pooled points, a seeded
 * subsample without replacement when the pool is larger (an even number of pairs takes the mean of
 * the two middle distances). The estimator is unbiased, so it can be slightly negative when the
 * two distributions are equal. Cost: O((m + n)² d) kernel evaluations, spread over the common
 * fork-join pool; row sums are added in a fixed order, so results do not depend on scheduling.
 */
public final class Mmd {

  /** Most pooled points the median heuristic looks at. */
  public static final int MEDIAN_POINTS = 1000;

  /** Multipliers of the median distance that give the kernel bandwidths. */
  private static final double[] BANDWIDTH_SCALES = {0.5, 1.0, 2.0};

  private Mmd() {}

  /** MMD²_u between {@code x [m, d]} and {@code y [n, d]}; {@code seed} picks the median subsample. */
  public static double squared(double[][] x, double[][] y, long seed) {
    return squared(x, y, bandwidths(x, y, seed));
  }

  /** MMD²_u between {@code x [m, d]} and {@code y [n, d]} (any element type). */
  public static double squared(Tensor x, Tensor y, long seed) {
    return squared(Rows.of(x, "x"), Rows.of(y, "y"), seed);
  }

  /** MMD²_u between {@code x [m, d]} and {@code y [n, d]} with a kernel summed over the given RBF bandwidths. */
  public static double squared(double[][] x, double[][] y, double[] bandwidths) {
    Rows.commonWidth(x, y, 2);
    if (bandwidths.length == 0) {
      throw new IllegalArgumentException("at least one bandwidth is needed");
    }
    double[] gamma = new double[bandwidths.length];
    for (int b = 0; b < bandwidths.length; b++) {
      if (!(bandwidths[b] > 0) || Double.isInfinite(bandwidths[b])) {
        throw new IllegalArgumentException("bandwidths must be positive and finite, got "
            + Arrays.toString(bandwidths));
      }
      gamma[b] = 1 / (2 * bandwidths[b] * bandwidths[b]);
    }
    double m = x.length;
    double n = y.length;
    double xx = kernelSum(x, x, gamma, true) / (m * (m - 1));
    double yy = kernelSum(y, y, gamma, true) / (n * (n - 1));
    double xy = kernelSum(x, y, gamma, false) / (m * n);
    return xx + yy - 2 * xy;
  }

  /**
   * The default bandwidths {@code [3]}: 0.5, 1 and 2 times the median pairwise distance of the
   * pooled sample {@code x ∪ y}.
   */
  public static double[] bandwidths(double[][] x, double[][] y, long seed) {
    Rows.commonWidth(x, y, 1);
    double median = medianDistance(x, y, seed);
    if (!(median > 0)) {
      throw new IllegalArgumentException("median pairwise distance of the pooled sample is " + median
          + " (most points coincide); pass bandwidths explicitly");
    }
    double[] out = new double[BANDWIDTH_SCALES.length];
    for (int b = 0; b < out.length; b++) {
      out[b] = BANDWIDTH_SCALES[b] * median;
    }
    return out;
  }

  /** Median distance over all pairs of at most {@link #MEDIAN_POINTS} points of {@code x ∪ y}. */
  static double medianDistance(double[][] x, double[][] y, long seed) {
    double[][] pool = new double[x.length + y.length][];
    System.arraycopy(x, 0, pool, 0, x.length);
    System.arraycopy(y, 0, pool, x.length, y.length);
    int k = Math.min(pool.length, MEDIAN_POINTS);
    if (k < pool.length) {
      SplittableRandom rng = new SplittableRandom(seed);
      for (int i = 0; i < k; i++) { // partial Fisher–Yates: pool[0..k) becomes a uniform subsample
        int j = i + rng.nextInt(pool.length - i);
        double[] t = pool[i];
        pool[i] = pool[j];
        pool[j] = t;
      }
    }
    double[] dist = new double[k * (k - 1) / 2];
    int p = 0;
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        dist[p++] = Math.sqrt(Rows.squaredDistance(pool[i], pool[j]));
      }
    }
    if (dist.length == 0) {
      return 0;
    }
    Arrays.sort(dist);
    int mid = dist.length / 2;
    return dist.length % 2 == 1 ? dist[mid] : 0.5 * (dist[mid - 1] + dist[mid]);
  }

  /** Σ k(a_i, b_j) over all pairs, or over i ≠ j when {@code a} and {@code b} are the same set. */
  private static double kernelSum(double[][] a, double[][] b, double[] gamma, boolean sameSet) {
    double[] rowSums = new double[a.length];
    IntStream.range(0, a.length).parallel().forEach(i -> {
      double s = 0;
      // Same set: the kernel is symmetric, so sum j > i and double it.
      for (int j = sameSet ? i + 1 : 0; j < b.length; j++) {
        double r2 = Rows.squaredDistance(a[i], b[j]);
        for (double g : gamma) {
          s += Math.exp(-g * r2);
        }
      }
      rowSums[i] = sameSet ? 2 * s : s;
    });
    double total = 0;
    for (double s : rowSums) {
      total += s;
    }
    return total;
  }
}
