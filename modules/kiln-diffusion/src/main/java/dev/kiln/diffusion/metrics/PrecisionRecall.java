package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Improved precision and recall of a generative model (Kynkäänniemi et al. 2019, arXiv 1904.06991).
 * Each point of a set gets a ball whose radius is the distance to its k-th nearest neighbour in the
 * same set (itself excluded); the union of the balls estimates that set's manifold:
 *
 * <pre>
 *   precision = (1/|G|) Σ_{g ∈ G} 1[∃ r ∈ R : ‖g − r‖ ≤ NN_k(r, R)]
 *   recall    = (1/|R|) Σ_{r ∈ R} 1[∃ g ∈ G : ‖r − g‖ ≤ NN_k(g, G)]
 * </pre>
 *
 * Precision is the share of generated samples that look real; recall the share of real samples the
 * generator covers. Brute force, O((|R| + |G|)² d), fine up to a few thousand points per set.
 *
 * @param precision fraction of generated points inside the real manifold, in [0, 1]
 * @param recall fraction of real points inside the generated manifold, in [0, 1]
 */
public record PrecisionRecall(double precision, double recall) {

  /** Neighbourhood size used when none is given (the paper's choice). */
  public static final int DEFAULT_K = 3;

  /** Precision and recall of {@code generated [m, d]} against {@code real [n, d]} with k = {@value #DEFAULT_K}. */
  public static PrecisionRecall of(double[][] real, double[][] generated) {
    return of(real, generated, DEFAULT_K);
  }

  /** Precision and recall of {@code generated [m, d]} against {@code real [n, d]} (any element type), k = {@value #DEFAULT_K}. */
  public static PrecisionRecall of(Tensor real, Tensor generated) {
    return of(Rows.of(real, "real"), Rows.of(generated, "generated"), DEFAULT_K);
  }

  /** Precision and recall of {@code generated [m, d]} against {@code real [n, d]} with neighbourhood size {@code k}. */
  public static PrecisionRecall of(double[][] real, double[][] generated, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    Rows.commonWidth(real, "real", generated, "generated", k + 1);
    double[] realRadii = squaredRadii(real, k);
    double[] generatedRadii = squaredRadii(generated, k);
    return new PrecisionRecall(coverage(generated, real, realRadii), coverage(real, generated, generatedRadii));
  }

  /** Squared distance from each row of {@code set [n, d]} to its k-th nearest other row. */
  static double[] squaredRadii(double[][] set, int k) {
    double[] radii = new double[set.length];
    IntStream.range(0, set.length).parallel().forEach(i -> {
      double[] nearest = new double[k]; // the k smallest squared distances so far, ascending
      Arrays.fill(nearest, Double.POSITIVE_INFINITY);
      for (int j = 0; j < set.length; j++) {
        if (j == i) {
          continue;
        }
        double d2 = Rows.squaredDistance(set[i], set[j]);
        if (d2 < nearest[k - 1]) {
          int p = k - 1;
          while (p > 0 && nearest[p - 1] > d2) {
            nearest[p] = nearest[p - 1];
            p--;
          }
          nearest[p] = d2;
        }
      }
      radii[i] = nearest[k - 1];
    });
    return radii;
  }

  /** Fraction of {@code points} within the ball of at least one centre ({@code squaredRadii} per centre). */
  private static double coverage(double[][] points, double[][] centres, double[] squaredRadii) {
    long inside = IntStream.range(0, points.length).parallel().filter(i -> {
      for (int j = 0; j < centres.length; j++) {
        if (Rows.squaredDistance(points[i], centres[j]) <= squaredRadii[j]) {
          return true;
        }
      }
      return false;
    }).count();
    return (double) inside / points.length;
  }
}
