package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;

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
 * generator covers. Brute force, O((|R| + |G|)² d), fine up to a few thousand points per set; the balls are
 * {@link KnnManifold}s.
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
    KnnManifold realManifold = KnnManifold.of(real, k);
    KnnManifold generatedManifold = KnnManifold.of(generated, k);
    return new PrecisionRecall((double) realManifold.count(generated) / generated.length,
        (double) generatedManifold.count(real) / real.length);
  }
}
