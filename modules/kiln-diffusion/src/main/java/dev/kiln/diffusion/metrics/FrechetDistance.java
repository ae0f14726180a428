package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;

/**
 * Fréchet distance between Gaussians fitted to two sets of feature rows (Dowson &amp; Landau 1982;
 * the FID of Heusel et al. 2017, arXiv 1706.08500, when the features come from Inception):
 *
 * <pre>
 *   FD = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^{1/2})
 * </pre>
 *
 * Σ₁Σ₂ is not symmetric, but it is similar to {@code S Σ₂ S} with {@code S = Σ₁^{1/2}}, which is
 * symmetric positive semi-definite; so tr (Σ₁Σ₂)^{1/2} = Σᵢ √λᵢ(S Σ₂ S). Both square roots come from
 * symmetric eigen-decompositions in double precision, with eigenvalues at rounding level
 * ({@code |λ| ≤ d·ε·max|λ|}, including slightly negative ones) clamped to 0 — no complex arithmetic
 * and no ε added to the diagonal. Cost O(n d² + d³);
 * fine for d ≤ 256 and n around 10⁴.
 */
public final class FrechetDistance {

  private FrechetDistance() {}

  /** FD between Gaussians fitted to {@code x [n, d]} and {@code y [m, d]}. */
  public static double between(double[][] x, double[][] y) {
    Rows.commonWidth(x, y, 2);
    return between(Gaussian.fit(x), Gaussian.fit(y));
  }

  /** FD between Gaussians fitted to {@code x [n, d]} and {@code y [m, d]} (any element type). */
  public static double between(Tensor x, Tensor y) {
    return between(Rows.of(x, "x"), Rows.of(y, "y"));
  }

  /** FD between two Gaussians of equal dimension. */
  public static double between(Gaussian a, Gaussian b) {
    int d = a.dimension();
    if (b.dimension() != d) {
      throw new IllegalArgumentException("Gaussians of dimension " + d + " and " + b.dimension());
    }
    double meanTerm = 0;
    double traces = 0;
    for (int i = 0; i < d; i++) {
      double diff = a.mean()[i] - b.mean()[i];
      meanTerm += diff * diff;
      traces += a.covariance()[i][i] + b.covariance()[i][i];
    }
    double fd = meanTerm + traces - 2 * traceOfSqrtProduct(a.covariance(), b.covariance());
    return Math.max(fd, 0);
  }

  /** tr (Σ₁Σ₂)^{1/2} = Σᵢ √λᵢ(Σ₁^{1/2} Σ₂ Σ₁^{1/2}) for symmetric PSD {@code s1, s2 [d, d]}. */
  static double traceOfSqrtProduct(double[][] s1, double[][] s2) {
    double[][] root = sqrtPsd(s1);
    double[][] m = multiply(multiply(root, s2), root);
    symmetrise(m);
    double trace = 0;
    for (double r : SymmetricEigen.of(m).nonNegativeRoots()) {
      trace += r;
    }
    return trace;
  }

  /** The symmetric PSD square root {@code Vᵀ diag(√λ) V} of symmetric PSD {@code s [d, d]}. */
  static double[][] sqrtPsd(double[][] s) {
    SymmetricEigen eig = SymmetricEigen.of(s);
    double[] roots = eig.nonNegativeRoots();
    int d = s.length;
    double[][] root = new double[d][d];
    for (int k = 0; k < d; k++) {
      double r = roots[k];
      if (r == 0) {
        continue;
      }
      double[] vk = eig.vectors()[k];
      for (int i = 0; i < d; i++) {
        double rvi = r * vk[i];
        double[] row = root[i];
        for (int j = 0; j < d; j++) {
          row[j] += rvi * vk[j];
        }
      }
    }
    return root;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int d = a.length;
    double[][] c = new double[d][d];
    for (int i = 0; i < d; i++) {
      double[] ci = c[i];
      for (int k = 0; k < d; k++) {
        double aik = a[i][k];
        double[] bk = b[k];
        for (int j = 0; j < d; j++) {
          ci[j] += aik * bk[j];
        }
      }
    }
    return c;
  }

  private static void symmetrise(double[][] m) {
    for (int i = 0; i < m.length; i++) {
      for (int j = i + 1; j < m.length; j++) {
        double avg = 0.5 * (m[i][j] + m[j][i]);
        m[i][j] = avg;
        m[j][i] = avg;
      }
    }
  }
}
