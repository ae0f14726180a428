package dev.kiln.diffusion.metrics;

import dev.kiln.runtime.Tensor;

/** Sample sets as {@code double[n][d]} rows: conversion from tensors and the checks every metric shares. */
final class Rows {

  private Rows() {}

  /** The rows of {@code points [n, d]} (any element type) as doubles. */
  static double[][] of(Tensor points, String name) {
    if (points.rank() != 2) {
      throw new IllegalArgumentException(name + " must be a [n, d] tensor, got " + points);
    }
    int n = (int) points.dim(0);
    int d = (int) points.dim(1);
    double[] flat = points.toDoubleArray();
    double[][] rows = new double[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, rows[i], 0, d);
    }
    return rows;
  }

  /**
   * Checks that {@code rows [n, d]} has at least {@code minRows} rows, all of one width, and returns
   * that width.
   */
  static int width(double[][] rows, String name, int minRows) {
    if (rows.length < minRows) {
      throw new IllegalArgumentException(name + " needs at least " + minRows + " rows, got " + rows.length);
    }
    int d = rows[0].length;
    if (d == 0) {
      throw new IllegalArgumentException(name + " rows are empty (d = 0)");
    }
    for (int i = 1; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(name + " row " + i + " has " + rows[i].length
            + " values, row 0 has " + d);
      }
    }
    return d;
  }

  /** Checks that sample sets {@code x} and {@code y} have rows of the same width and returns it. */
  static int commonWidth(double[][] x, double[][] y, int minRows) {
    return commonWidth(x, "x", y, "y", minRows);
  }

  /** Checks that two named sample sets have rows of the same width and returns it. */
  static int commonWidth(double[][] a, String aName, double[][] b, String bName, int minRows) {
    int da = width(a, aName, minRows);
    int db = width(b, bName, minRows);
    if (da != db) {
      throw new IllegalArgumentException(aName + " has " + da + " features per row, " + bName + " has " + db);
    }
    return da;
  }

  /** Squared Euclidean distance between two rows of equal width. */
  static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      double t = a[k] - b[k];
      s += t * t;
    }
    return s;
  }
}
