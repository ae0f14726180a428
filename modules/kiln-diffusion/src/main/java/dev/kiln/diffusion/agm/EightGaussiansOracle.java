package dev.kiln.diffusion.agm;

import dev.kiln.diffusion.schedule.NoiseSchedule;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.PhaseSpaceDenoiser;

/**
 * The ideal models of the 8-Gaussians data (Kiln's {@code Toy2D.EIGHT_GAUSSIANS}: centres
 * 2(cos kπ/4, sin kπ/4), std 0.1, equal weights), so that samplers can be compared without any
 * network error. Both come from the posterior over the mixture component: given component k the
 * clean sample and the noisy state are jointly Gaussian, so E[x₁ | m] (AGM) and E[x₀ | x_τ]
 * (diffusion) are weighted sums of per-component Gaussian posterior means, with weights from the
 * per-component marginal likelihoods. AGM's ideal output is the label at x₁ = E[x₁ | m] (the label
 * is linear in x₁ and ε, and ε is fixed by m and x₁), divided by N_t; the ideal ε-prediction is
 * (x_τ − √ᾱ·E[x₀ | x_τ])/√(1−ᾱ).
 */
final class EightGaussiansOracle {

  private static final double STD = 0.1;
  private static final double[][] CENTRES = new double[8][];

  static {
    for (int k = 0; k < 8; k++) {
      CENTRES[k] = new double[] {2 * Math.cos(k * Math.PI / 4), 2 * Math.sin(k * Math.PI / 4)};
    }
  }

  private EightGaussiansOracle() {}

  /** The ideal AGM network output D = E[F_t | m]/N_t for inputs x, v [N, 2]. */
  static PhaseSpaceDenoiser agm(AgmProcess process) {
    return (x, v, t) -> {
      Bridge b = process.at(t);
      double cx = AgmProcess.meanX(t);
      double cv = AgmProcess.meanV(t);
      AgmProcess.Covariance sig = process.covariance(t);
      double s2 = STD * STD;
      // covariance M of (x, v) given the component, per coordinate, and E[x₁ | m, k] = c_k + w·(m − c·c_k)
      double mxx = s2 * cx * cx + sig.xx();
      double mxv = s2 * cx * cv + sig.xv();
      double mvv = s2 * cv * cv + sig.vv();
      double det = mxx * mvv - mxv * mxv;
      double wx = s2 * (cx * mvv - cv * mxv) / det;
      double wv = s2 * (-cx * mxv + cv * mxx) / det;
      int n = (int) x.dim(0);
      float[] out = new float[2 * n];
      double[] logLik = new double[8];
      double[][] post = new double[8][2];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < 8; k++) {
          logLik[k] = 0;
          for (int d = 0; d < 2; d++) {
            double dx = x.getFloat(2 * i + d) - cx * CENTRES[k][d];
            double dv = v.getFloat(2 * i + d) - cv * CENTRES[k][d];
            logLik[k] -= 0.5 * (mvv * dx * dx - 2 * mxv * dx * dv + mxx * dv * dv) / det;
            post[k][d] = CENTRES[k][d] + wx * dx + wv * dv;
          }
        }
        double[] x1 = mix(logLik, post);
        for (int d = 0; d < 2; d++) {
          double xi = x.getFloat(2 * i + d);
          double vi = v.getFloat(2 * i + d);
          double ex = (xi - cx * x1[d]) / b.lxx();
          double ev = (vi - cv * x1[d] - b.lxv() * ex) / b.lvv();
          out[2 * i + d] = (float) (b.label(x1[d], ex, ev) / b.normalizer());
        }
      }
      return Tensor.of(out, x.shape());
    };
  }

  /** The ideal ε-prediction for inputs x [N, 2] at (possibly fractional) training timestep τ. */
  static Denoiser epsilon(NoiseSchedule schedule) {
    return (x, tau) -> {
      double ab = schedule.alphaCumprod(tau);
      double a = Math.sqrt(ab);
      double s = Math.sqrt(1 - ab);
      double var = ab * STD * STD + 1 - ab;
      int n = (int) x.dim(0);
      float[] out = new float[2 * n];
      double[] logLik = new double[8];
      double[][] post = new double[8][2];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < 8; k++) {
          logLik[k] = 0;
          for (int d = 0; d < 2; d++) {
            double r = x.getFloat(2 * i + d) - a * CENTRES[k][d];
            logLik[k] -= 0.5 * r * r / var;
            post[k][d] = CENTRES[k][d] + a * STD * STD * r / var;
          }
        }
        double[] x0 = mix(logLik, post);
        for (int d = 0; d < 2; d++) {
          out[2 * i + d] = (float) ((x.getFloat(2 * i + d) - a * x0[d]) / s);
        }
      }
      return Tensor.of(out, x.shape());
    };
  }

  /** Σ_k softmax(logLik)_k · post_k. */
  private static double[] mix(double[] logLik, double[][] post) {
    double best = Double.NEGATIVE_INFINITY;
    for (double l : logLik) {
      best = Math.max(best, l);
    }
    double z = 0;
    double[] m = new double[2];
    for (int k = 0; k < logLik.length; k++) {
      double w = Math.exp(logLik[k] - best);
      z += w;
      m[0] += w * post[k][0];
      m[1] += w * post[k][1];
    }
    m[0] /= z;
    m[1] /= z;
    return m;
  }
}
