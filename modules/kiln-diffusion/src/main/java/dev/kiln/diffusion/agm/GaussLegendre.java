package dev.kiln.diffusion.agm;

import java.util.function.DoubleUnaryOperator;

/**
 * Composite Gauss–Legendre quadrature: {@code panels} equal panels of an n-point rule each, exact for
 * polynomials of degree 2n − 1 on every panel. Nodes are the roots of P_n found by Newton's method.
 */
final class GaussLegendre {

  private final double[] nodes;
  private final double[] weights;
  private final int panels;

  GaussLegendre(int points, int panels) {
    if (points < 1 || panels < 1) {
      throw new IllegalArgumentException("Gauss-Legendre needs points and panels >= 1, got " + points + ", "
          + panels);
    }
    this.nodes = new double[points];
    this.weights = new double[points];
    this.panels = panels;
    for (int i = 0; i < points; i++) {
      double x = Math.cos(Math.PI * (i + 0.75) / (points + 0.5));
      double dp = 0;
      for (int iter = 0; iter < 100; iter++) {
        double p0 = 1;
        double p1 = x;
        for (int k = 2; k <= points; k++) {
          double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = points * (x * p1 - p0) / (x * x - 1);
        double dx = p1 / dp;
        x -= dx;
        if (Math.abs(dx) < 1e-16) {
          break;
        }
      }
      nodes[i] = x;
      weights[i] = 2 / ((1 - x * x) * dp * dp);
    }
  }

  /** ∫_a^b f(s) ds. */
  double integrate(DoubleUnaryOperator f, double a, double b) {
    double width = (b - a) / panels;
    double sum = 0;
    for (int k = 0; k < panels; k++) {
      double mid = a + (k + 0.5) * width;
      for (int i = 0; i < nodes.length; i++) {
        sum += weights[i] * f.applyAsDouble(mid + 0.5 * width * nodes[i]);
      }
    }
    return sum * 0.5 * width;
  }
}
