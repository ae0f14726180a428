package dev.kiln.diffusion.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigen-decomposition {@code A = Vᵀ diag(values) V} of a real symmetric matrix by cyclic Jacobi
 * rotations with a threshold (Numerical Recipes §11.1): the first sweeps skip small off-diagonal
 * elements, later sweeps zero those that no longer change the diagonal in double precision, and the
 * iteration ends when the off-diagonal part is exactly zero. Accurate to a few ulps of ‖A‖ and
 * O(d³) per sweep; suited to covariance matrices up to a few hundred rows.
 *
 * @param values eigenvalues {@code [d]}, ascending
 * @param vectors orthonormal eigenvectors {@code [d, d]}: row {@code k} belongs to {@code values[k]}
 */
record SymmetricEigen(double[] values, double[][] vectors) {

  private static final int MAX_SWEEPS = 100;

  /** Decomposes the symmetric matrix {@code a [d, d]} (only its upper triangle is read). */
  static SymmetricEigen of(double[][] a) {
    int d = a.length;
    double[][] m = new double[d][d];
    for (int i = 0; i < d; i++) {
      if (a[i].length != d) {
        throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length
            + " values, expected " + d);
      }
      for (int j = i; j < d; j++) {
        if (!Double.isFinite(a[i][j])) {
          throw new IllegalArgumentException("matrix element [" + i + "][" + j + "] is " + a[i][j]);
        }
        m[i][j] = a[i][j];
        m[j][i] = a[i][j];
      }
    }
    double[][] v = new double[d][d];
    for (int i = 0; i < d; i++) {
      v[i][i] = 1;
    }
    diagonalise(m, v);
    double[] diag = new double[d];
    for (int i = 0; i < d; i++) {
      diag[i] = m[i][i];
    }
    Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> diag[i]));
    double[] values = new double[d];
    double[][] vectors = new double[d][];
    for (int k = 0; k < d; k++) {
      values[k] = diag[order[k]];
      vectors[k] = v[order[k]];
    }
    return new SymmetricEigen(values, vectors);
  }

  /**
   * √λ for each eigenvalue {@code [d]}, with eigenvalues below {@code d·ε·max|λ|} — negative or
   * positive rounding noise of a PSD matrix — taken as 0, so that a rank-deficient matrix does not
   * contribute √ε-sized roots.
   */
  double[] nonNegativeRoots() {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    double cutoff = values.length * Math.ulp(1.0) * max;
    double[] roots = new double[values.length];
    for (int k = 0; k < values.length; k++) {
      roots[k] = values[k] > cutoff ? Math.sqrt(values[k]) : 0;
    }
    return roots;
  }

  /** Rotates {@code a} to diagonal form in place, accumulating the rotations into the rows of {@code v}. */
  private static void diagonalise(double[][] a, double[][] v) {
    int d = a.length;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          off += Math.abs(a[p][q]);
        }
      }
      if (off == 0) {
        return;
      }
      double threshold = sweep < 3 ? 0.2 * off / ((double) d * d) : 0;
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          double apq = a[p][q];
          double g = 100 * Math.abs(apq);
          if (sweep > 3 && Math.abs(a[p][p]) + g == Math.abs(a[p][p])
              && Math.abs(a[q][q]) + g == Math.abs(a[q][q])) {
            a[p][q] = 0;
            a[q][p] = 0;
          } else if (Math.abs(apq) > threshold) {
            rotate(a, v, p, q, g);
          }
        }
      }
    }
    throw new IllegalStateException("Jacobi iteration did not converge in " + MAX_SWEEPS + " sweeps");
  }

  /** One Jacobi rotation in the (p, q) plane that zeroes {@code a[p][q]}. */
  private static void rotate(double[][] a, double[][] v, int p, int q, double g) {
    double apq = a[p][q];
    double h = a[q][q] - a[p][p];
    double t;
    if (Math.abs(h) + g == Math.abs(h)) {
      t = apq / h;
    } else {
      double theta = 0.5 * h / apq;
      t = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
      if (theta < 0) {
        t = -t;
      }
    }
    double c = 1 / Math.sqrt(1 + t * t);
    double s = t * c;
    double tau = s / (1 + c);
    a[p][p] -= t * apq;
    a[q][q] += t * apq;
    a[p][q] = 0;
    a[q][p] = 0;
    double[] rowP = a[p];
    double[] rowQ = a[q];
    for (int k = 0; k < a.length; k++) {
      if (k == p || k == q) {
        continue;
      }
      double akp = rowP[k];
      double akq = rowQ[k];
      double newP = akp - s * (akq + akp * tau);
      double newQ = akq + s * (akp - akq * tau);
      rowP[k] = newP;
      rowQ[k] = newQ;
      a[k][p] = newP;
      a[k][q] = newQ;
    }
    double[] vp = v[p];
    double[] vq = v[q];
    for (int k = 0; k < vp.length; k++) {
      double gp = vp[k];
      double gq = vq[k];
      vp[k] = gp - s * (gq + gp * tau);
      vq[k] = gq + s * (gp - gq * tau);
    }
  }
}
