package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;
import java.util.SplittableRandom;

/** Seeded sample sets for the metric tests. */
final class Samples {

  private Samples() {}

  /** {@code n} rows of N(mean, σ² I). */
  static double[][] gaussian(int n, double[] mean, double sigma, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] rows = new double[n][mean.length];
    for (double[] r : rows) {
      for (int j = 0; j < mean.length; j++) {
        r[j] = mean[j] + sigma * rng.nextGaussian();
      }
    }
    return rows;
  }

  /** {@code rows} with {@code shift} added to every row. */
  static double[][] shifted(double[][] rows, double[] shift) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i].clone();
      for (int j = 0; j < shift.length; j++) {
        out[i][j] += shift[j];
      }
    }
    return out;
  }

  /** A vector of {@code d} zeros with {@code value} at index {@code axis}. */
  static double[] axis(int d, int axis, double value) {
    double[] v = new double[d];
    v[axis] = value;
    return v;
  }

  /** A random orthogonal {@code [d, d]} matrix (Gram–Schmidt on Gaussian rows). */
  static double[][] orthogonal(int d, long seed) {
    double[][] q = gaussian(d, new double[d], 1, seed);
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < i; k++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += q[i][j] * q[k][j];
        }
        for (int j = 0; j < d; j++) {
          q[i][j] -= dot * q[k][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += q[i][j] * q[i][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < d; j++) {
        q[i][j] /= norm;
      }
    }
    return q;
  }

  /** {@code Qᵀ diag(values) Q}. */
  static double[][] withEigenvalues(double[][] q, double[] values) {
    int d = values.length;
    double[][] m = new double[d][d];
    for (int k = 0; k < d; k++) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          m[i][j] += values[k] * q[k][i] * q[k][j];
        }
      }
    }
    return m;
  }

  /** {@code rows [n, d]} as a float tensor. */
  static Tensor tensor(double[][] rows) {
    int d = rows[0].length;
    float[] flat = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < d; j++) {
        flat[i * d + j] = (float) rows[i][j];
      }
    }
    return Tensor.of(flat, rows.length, d);
  }
}
