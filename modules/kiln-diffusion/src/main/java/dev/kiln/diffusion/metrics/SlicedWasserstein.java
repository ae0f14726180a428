package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Sliced Wasserstein-2 distance between two sample sets (Rabin et al. 2011; Bonneel et al. 2015):
 *
 * <pre>
 *   SWD₂(X, Y) = sqrt( (1/K) Σ_k W₂²(θ_k·X, θ_k·Y) ),   θ_k uniform on the unit sphere S^{d−1}
 * </pre>
 *
 * The directions come from a seeded {@link SplittableRandom} (normalised Gaussian vectors), so
 * equal seeds give equal answers. Each 1-D distance is exact: with sorted projections
 * {@code a [n]} and {@code b [m]}, W₂² = ∫₀¹ (F⁻¹(u) − G⁻¹(u))² du for the empirical quantile
 * functions, which for {@code n == m} is the mean of {@code (a_i − b_i)²}; for {@code n ≠ m} the
 * integral runs over the merged quantile levels {@code i/n} and {@code j/m}, on which both
 * quantile functions are constant (the limit of comparing quantiles at evenly spaced levels).
 *
 * <p>For {@code Y = X + δ e₁}: W₂²(θ·X, θ·Y) = δ²θ₁² and E[θ₁²] = 1/d, so SWD₂ ≈ δ/√d.
 */
public final class SlicedWasserstein {

  /** Number of random directions used when none is given (AGM/BOOT CPU protocols, §1.6). */
  public static final int DEFAULT_DIRECTIONS = 256;

  private SlicedWasserstein() {}

  /** SWD₂ between {@code x [n, d]} and {@code y [m, d]} over {@value #DEFAULT_DIRECTIONS} directions. */
  public static double distance(double[][] x, double[][] y, long seed) {
    return distance(x, y, DEFAULT_DIRECTIONS, seed);
  }

  /** SWD₂ between {@code x [n, d]} and {@code y [m, d]} (any element type) over {@value #DEFAULT_DIRECTIONS} directions. */
  public static double distance(Tensor x, Tensor y, long seed) {
    return distance(Rows.of(x, "x"), Rows.of(y, "y"), DEFAULT_DIRECTIONS, seed);
  }

  /** SWD₂ between {@code x [n, d]} and {@code y [m, d]} (any element type) over {@code directions} directions. */
  public static double distance(Tensor x, Tensor y, int directions, long seed) {
    return distance(Rows.of(x, "x"), Rows.of(y, "y"), directions, seed);
  }

  /** SWD₂ between {@code x [n, d]} and {@code y [m, d]} over {@code directions} random directions. */
  public static double distance(double[][] x, double[][] y, int directions, long seed) {
    int d = Rows.commonWidth(x, y, 1);
    if (directions < 1) {
      throw new IllegalArgumentException("directions must be positive, got " + directions);
    }
    double[][] theta = directions(d, directions, seed);
    double[] w2 = new double[directions];
    IntStream.range(0, directions).parallel()
        .forEach(k -> w2[k] = squaredW2(sortedProjection(x, theta[k]), sortedProjection(y, theta[k])));
    double sum = 0;
    for (double v : w2) {
      sum += v;
    }
    return Math.sqrt(sum / directions);
  }

  /** {@code count} unit vectors {@code [count, d]}, uniform on the sphere, from {@code seed}. */
  static double[][] directions(int d, int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] theta = new double[count][d];
    for (double[] t : theta) {
      double norm;
      do {
        norm = 0;
        for (int j = 0; j < d; j++) {
          t[j] = rng.nextGaussian();
          norm += t[j] * t[j];
        }
      } while (norm < 1e-24);
      norm = Math.sqrt(norm);
      for (int j = 0; j < d; j++) {
        t[j] /= norm;
      }
    }
    return theta;
  }

  /**
   * Exact squared 2-Wasserstein distance between the empirical distributions of sorted samples
   * {@code a [n]} and {@code b [m]}.
   */
  static double squaredW2(double[] a, double[] b) {
    long n = a.length;
    long m = b.length;
    // Quantile level u = step / (n·m); a's quantile changes at multiples of m, b's at multiples of n.
    long u = 0;
    int i = 0;
    int j = 0;
    double sum = 0;
    while (i < n && j < m) {
      long nextA = (i + 1) * m;
      long nextB = (j + 1) * n;
      long next = Math.min(nextA, nextB);
      double diff = a[i] - b[j];
      sum += (next - u) * diff * diff;
      u = next;
      if (nextA == next) {
        i++;
      }
      if (nextB == next) {
        j++;
      }
    }
    return sum / ((double) n * m);
  }

  private static double[] sortedProjection(double[][] rows, double[] theta) {
    double[] p = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double s = 0;
      double[] r = rows[i];
      for (int j = 0; j < theta.length; j++) {
        s += r[j] * theta[j];
      }
      p[i] = s;
    }
    Arrays.sort(p);
    return p;
  }
}
