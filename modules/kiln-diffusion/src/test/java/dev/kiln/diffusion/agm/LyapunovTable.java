package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.AgmProcess;

/**
 * Σ_t of the AGM bridge from its Lyapunov equation dΣ/dt = AΣ + ΣAᵀ + diag(0, g²),
 * A = [[0, 1], [−4/u², −4/u]], u = 1 − t, integrated once by RK4 in double precision from Σ₀ and
 * tabulated. The equation is integrated in τ = −ln(1 − t), in which its rates stay bounded (the
 * eigenvalues of u·A are −2), so a uniform τ step stays accurate up to t close to 1.
 */
final class LyapunovTable {

  private final double[] tau;
  private final double[][] sigma;

  LyapunovTable(AgmProcess process, double tMax, int steps) {
    double tauMax = -Math.log(1 - tMax);
    double h = tauMax / steps;
    tau = new double[steps + 1];
    sigma = new double[steps + 1][];
    AgmProcess.Covariance s0 = process.covariance(0);
    double[] s = {s0.xx(), s0.xv(), s0.vv()};
    sigma[0] = s.clone();
    for (int i = 0; i < steps; i++) {
      double ta = i * h;
      double[] k1 = rate(process, ta, s);
      double[] k2 = rate(process, ta + h / 2, axpy(s, k1, h / 2));
      double[] k3 = rate(process, ta + h / 2, axpy(s, k2, h / 2));
      double[] k4 = rate(process, ta + h, axpy(s, k3, h));
      for (int j = 0; j < 3; j++) {
        s[j] += h / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
      }
      tau[i + 1] = (i + 1) * h;
      sigma[i + 1] = s.clone();
    }
  }

  /** dΣ/dτ = u·(AΣ + ΣAᵀ + diag(0, g²)) as (xx, xv, vv). */
  private static double[] rate(AgmProcess process, double tau, double[] s) {
    double u = Math.exp(-tau);
    double a = -4 / (u * u);
    double b = -4 / u;
    double g = process.diffusion(1 - u);
    return new double[] {u * 2 * s[1], u * (s[2] + a * s[0] + b * s[1]), u * (2 * (a * s[1] + b * s[2]) + g * g)};
  }

  private static double[] axpy(double[] s, double[] k, double h) {
    return new double[] {s[0] + h * k[0], s[1] + h * k[1], s[2] + h * k[2]};
  }

  int size() {
    return tau.length;
  }

  double time(int i) {
    return 1 - Math.exp(-tau[i]);
  }

  /** (Σ_xx, Σ_xv, Σ_vv) at table row i. */
  double[] covariance(int i) {
    return sigma[i].clone();
  }
}
