package dev.kiln.text.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MAUVE (Pillutla et al., arXiv 2102.01454): how close the distribution of model texts P is to that
 * of human texts Q, from feature vectors of both. The union of L2-normalised features is quantised by
 * k-means (k = n/10, k-means++ seeding, fixed seed); with the cluster histograms p and q and
 * {@code r_λ = λp + (1 − λ)q}, the divergence curve {@code (exp(−c·KL(q‖r_λ)), exp(−c·KL(p‖r_λ)))},
 * c = 5, λ on a grid of (0, 1), is integrated (trapezoids, with its end points (0, 1) and (1, 0)).
 * 1 means indistinguishable, values near 0 far apart. Scores from different feature models or
 * different sample sizes are not comparable.
 */
public final class Mauve {

  private static final double C = 5;

  private Mauve() {}

  /**
   * MAUVE of model features {@code p} [np·dim] against human features {@code q} [nq·dim].
   *
   * @param seed k-means seed
   */
  public static double score(float[] p, int np, float[] q, int nq, int dim, long seed) {
    int n = np + nq;
    double[][] x = new double[n][dim];
    for (int i = 0; i < n; i++) {
      float[] src = i < np ? p : q;
      int row = i < np ? i : i - np;
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        x[i][j] = src[row * dim + j];
        norm += x[i][j] * x[i][j];
      }
      norm = Math.sqrt(Math.max(norm, 1e-12));
      for (int j = 0; j < dim; j++) {
        x[i][j] /= norm;
      }
    }
    int k = Math.max(2, n / 10);
    int[] assign = kMeans(x, k, seed, 50);
    double[] hp = new double[k];
    double[] hq = new double[k];
    for (int i = 0; i < n; i++) {
      if (i < np) {
        hp[assign[i]] += 1.0 / np;
      } else {
        hq[assign[i]] += 1.0 / nq;
      }
    }
    return area(hp, hq);
  }

  /** The area under the divergence curve of two histograms. */
  static double area(double[] hp, double[] hq) {
    List<double[]> pts = new ArrayList<>();
    pts.add(new double[] {0, 1});
    int grid = 99;
    for (int g = 1; g <= grid; g++) {
      double lambda = (double) g / (grid + 1);
      double[] r = new double[hp.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = lambda * hp[i] + (1 - lambda) * hq[i];
      }
      pts.add(new double[] {Math.exp(-C * kl(hq, r)), Math.exp(-C * kl(hp, r))});
    }
    pts.add(new double[] {1, 0});
    pts.sort((a, b) -> Double.compare(a[0], b[0]));
    double s = 0;
    for (int i = 1; i < pts.size(); i++) {
      s += (pts.get(i)[0] - pts.get(i - 1)[0]) * (pts.get(i)[1] + pts.get(i - 1)[1]) / 2;
    }
    return s;
  }

  private static double kl(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > 0) {
        s += a[i] * Math.log(a[i] / b[i]);
      }
    }
    return s;
  }

  /** Lloyd's k-means with k-means++ seeding; returns each point's cluster. */
  static int[] kMeans(double[][] x, int k, long seed, int iterations) {
    SplittableRandom rng = new SplittableRandom(seed);
    int n = x.length;
    int dim = x[0].length;
    double[][] centres = new double[k][];
    centres[0] = x[rng.nextInt(n)].clone();
    double[] d2 = new double[n];
    Arrays.fill(d2, Double.MAX_VALUE);
    for (int c = 1; c < k; c++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        d2[i] = Math.min(d2[i], dist(x[i], centres[c - 1]));
        sum += d2[i];
      }
      double u = rng.nextDouble() * sum;
      int pick = n - 1;
      for (int i = 0; i < n; i++) {
        u -= d2[i];
        if (u <= 0) {
          pick = i;
          break;
        }
      }
      centres[c] = x[pick].clone();
    }
    int[] assign = new int[n];
    for (int it = 0; it < iterations; it++) {
      boolean changed = false;
      for (int i = 0; i < n; i++) {
        int best = 0;
        double bd = Double.MAX_VALUE;
        for (int c = 0; c < k; c++) {
          double d = dist(x[i], centres[c]);
          if (d < bd) {
            bd = d;
            best = c;
          }
        }
        if (assign[i] != best || it == 0) {
          changed |= assign[i] != best;
          assign[i] = best;
        }
      }
      double[][] sums = new double[k][dim];
      int[] counts = new int[k];
      for (int i = 0; i < n; i++) {
        counts[assign[i]]++;
        for (int j = 0; j < dim; j++) {
          sums[assign[i]][j] += x[i][j];
        }
      }
      for (int c = 0; c < k; c++) {
        if (counts[c] > 0) {
          for (int j = 0; j < dim; j++) {
            centres[c][j] = sums[c][j] / counts[c];
          }
        }
      }
      if (!changed && it > 0) {
        break;
      }
    }
    return assign;
  }

  private static double dist(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double d = a[j] - b[j];
      s += d * d;
    }
    return s;
  }
}
