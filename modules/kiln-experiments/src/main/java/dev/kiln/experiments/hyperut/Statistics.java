package dev.kiln.experiments.hyperut;

import java.util.Arrays;

/** Means, spreads and rank correlation for the study tables. */
public final class Statistics {

  private Statistics() {}

  public static double mean(double[] xs) {
    return Arrays.stream(xs).average().orElse(Double.NaN);
  }

  /** Sample standard deviation (0 for one value). */
  public static double std(double[] xs) {
    if (xs.length < 2) {
      return 0;
    }
    double m = mean(xs);
    double ss = 0;
    for (double x : xs) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (xs.length - 1));
  }

  /** Spearman's ρ: Pearson correlation of the ranks, ties sharing their mean rank. */
  public static double spearman(double[] x, double[] y) {
    return pearson(ranks(x), ranks(y));
  }

  public static double pearson(double[] x, double[] y) {
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }

  public static double[] ranks(double[] x) {
    Integer[] order = new Integer[x.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
    double[] r = new double[x.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && x[order[j + 1]] == x[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = rank;
      }
      i = j + 1;
    }
    return r;
  }
}
