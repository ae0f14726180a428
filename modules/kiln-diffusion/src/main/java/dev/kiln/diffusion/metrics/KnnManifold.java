package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;
import java.io.Serializable;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The k-NN estimate of a point set's manifold that {@link PrecisionRecall} measures with (Kynkäänniemi et
 * al. 2019, arXiv 1904.06991): one ball per point of the set, its radius the distance to the point's k-th
 * nearest other point. A point is on the manifold when some ball holds it. Once built, a manifold answers
 * for any number of points independently, so the points can be counted in parts (per Spark partition) and
 * the counts added.
 *
 * @param centres the set {@code [n, d]}
 * @param squaredRadii each centre's squared k-NN radius {@code [n]}
 */
public record KnnManifold(double[][] centres, double[] squaredRadii) implements Serializable {

  public KnnManifold {
    if (centres.length != squaredRadii.length) {
      throw new IllegalArgumentException(centres.length + " centres and " + squaredRadii.length + " radii");
    }
  }

  /** The manifold of {@code set [n, d]} with neighbourhood size {@code k} (n > k). */
  public static KnnManifold of(double[][] set, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    Rows.width(set, "set", k + 1);
    return new KnnManifold(set, squaredRadii(set, k));
  }

  /** {@link #of(double[][], int)} for {@code set [n, d]} of any element type. */
  public static KnnManifold of(Tensor set, int k) {
    return of(Rows.of(set, "set"), k);
  }

  /** Whether some ball holds {@code point [d]}. */
  public boolean contains(double[] point) {
    for (int j = 0; j < centres.length; j++) {
      if (Rows.squaredDistance(point, centres[j]) <= squaredRadii[j]) {
        return true;
      }
    }
    return false;
  }

  /** How many rows of {@code points [m, d]} the manifold holds. */
  public long count(double[][] points) {
    if (points.length > 0 && centres.length > 0 && points[0].length != centres[0].length) {
      throw new IllegalArgumentException("points have " + points[0].length + " features, the manifold's centres "
          + centres[0].length);
    }
    return IntStream.range(0, points.length).parallel().filter(i -> contains(points[i])).count();
  }

  /** {@link #count(double[][])} for {@code points [m, d]} of any element type. */
  public long count(Tensor points) {
    return count(Rows.of(points, "points"));
  }

  /** Squared distance from each row of {@code set [n, d]} to its k-th nearest other row. */
  private static double[] squaredRadii(double[][] set, int k) {
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
}
