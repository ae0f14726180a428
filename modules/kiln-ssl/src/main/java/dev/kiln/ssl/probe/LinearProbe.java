package dev.kiln.ssl.probe;

import java.util.Arrays;

/**
 * Multinomial logistic regression on frozen features, the linear evaluation of self-supervised
 * features: features standardised with the training set's mean and deviation, weights fitted by
 * full-batch Adam on the mean cross-entropy plus {@code l2 · |W|² / 2}.
 *
 * @param classes number of classes
 * @param iterations full-batch Adam steps
 * @param lr Adam's learning rate
 * @param l2 weight decay of W (not of the bias)
 */
public record LinearProbe(int classes, int iterations, double lr, double l2) {

  public LinearProbe {
    if (classes < 2 || iterations < 1 || !(lr > 0) || !(l2 >= 0)) {
      throw new IllegalArgumentException("a probe needs ≥ 2 classes, ≥ 1 iteration, lr > 0 and l2 ≥ 0, got "
          + classes + ", " + iterations + ", " + lr + ", " + l2);
    }
  }

  /** 300 iterations at lr 0.05, l2 1e-4. */
  public static LinearProbe of(int classes) {
    return new LinearProbe(classes, 300, 0.05, 1e-4);
  }

  /**
   * A fitted probe.
   *
   * @param mean per-feature training mean
   * @param scale per-feature 1 / training deviation
   * @param weights {@code [features][classes]}
   * @param bias {@code [classes]}
   */
  public record Fitted(double[] mean, double[] scale, double[][] weights, double[] bias) {

    /** Predicted class of each row. */
    public int[] predict(float[][] x) {
      int c = bias.length;
      int[] out = new int[x.length];
      double[] logits = new double[c];
      for (int i = 0; i < x.length; i++) {
        logitsOf(x[i], logits);
        int best = 0;
        for (int k = 1; k < c; k++) {
          if (logits[k] > logits[best]) {
            best = k;
          }
        }
        out[i] = best;
      }
      return out;
    }

    /** Fraction of rows predicted as {@code labels}. */
    public double accuracy(float[][] x, int[] labels) {
      int[] p = predict(x);
      int right = 0;
      for (int i = 0; i < p.length; i++) {
        right += p[i] == labels[i] ? 1 : 0;
      }
      return right / (double) p.length;
    }

    void logitsOf(float[] row, double[] logits) {
      System.arraycopy(bias, 0, logits, 0, bias.length);
      for (int j = 0; j < row.length; j++) {
        double v = (row[j] - mean[j]) * scale[j];
        if (v != 0) {
          double[] w = weights[j];
          for (int k = 0; k < logits.length; k++) {
            logits[k] += v * w[k];
          }
        }
      }
    }
  }

  /** Fits on rows {@code x [n][features]} with classes {@code labels [n]} in [0, classes). */
  public Fitted fit(float[][] x, int[] labels) {
    int n = x.length;
    if (n == 0 || labels.length != n) {
      throw new IllegalArgumentException("probe needs as many labels as rows, got " + labels.length + " for " + n);
    }
    int d = x[0].length;
    for (int label : labels) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("probe label " + label + " is outside [0, " + classes + ")");
      }
    }
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / (double) n;
      }
    }
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      scale[j] = scale[j] > 1e-12 ? 1 / Math.sqrt(scale[j]) : 0;
    }
    Fitted f = new Fitted(mean, scale, new double[d][classes], new double[classes]);
    double[][] gw = new double[d][classes];
    double[] gb = new double[classes];
    double[][] mw = new double[d][classes];
    double[][] vw = new double[d][classes];
    double[] mb = new double[classes];
    double[] vb = new double[classes];
    double[] logits = new double[classes];
    double[] standard = new double[d];
    for (int t = 1; t <= iterations; t++) {
      for (double[] row : gw) {
        Arrays.fill(row, 0);
      }
      Arrays.fill(gb, 0);
      for (int i = 0; i < n; i++) {
        f.logitsOf(x[i], logits);
        softmaxInPlace(logits);
        logits[labels[i]] -= 1;
        for (int j = 0; j < d; j++) {
          standard[j] = (x[i][j] - mean[j]) * scale[j];
        }
        for (int j = 0; j < d; j++) {
          double v = standard[j];
          if (v != 0) {
            double[] g = gw[j];
            for (int k = 0; k < classes; k++) {
              g[k] += v * logits[k];
            }
          }
        }
        for (int k = 0; k < classes; k++) {
          gb[k] += logits[k];
        }
      }
      double c1 = 1 - Math.pow(0.9, t);
      double c2 = 1 - Math.pow(0.999, t);
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < classes; k++) {
          double g = gw[j][k] / n + l2 * f.weights[j][k];
          mw[j][k] = 0.9 * mw[j][k] + 0.1 * g;
          vw[j][k] = 0.999 * vw[j][k] + 0.001 * g * g;
          f.weights[j][k] -= lr * (mw[j][k] / c1) / (Math.sqrt(vw[j][k] / c2) + 1e-8);
        }
      }
      for (int k = 0; k < classes; k++) {
        double g = gb[k] / n;
        mb[k] = 0.9 * mb[k] + 0.1 * g;
        vb[k] = 0.999 * vb[k] + 0.001 * g * g;
        f.bias[k] -= lr * (mb[k] / c1) / (Math.sqrt(vb[k] / c2) + 1e-8);
      }
    }
    return f;
  }

  private static void softmaxInPlace(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      z[k] = Math.exp(z[k] - max);
      sum += z[k];
    }
    for (int k = 0; k < z.length; k++) {
      z[k] /= sum;
    }
  }
}
