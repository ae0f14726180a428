package dev.kiln.diffusion.agm;

import dev.kiln.diffusion.schedule.NoiseSchedule;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.PhaseSpaceDenoiser;

/**
 * The ideal models of an equal-weight mixture of isotropic Gaussians (centres c_k, one std), so
 * that samplers can be judged without any network error: the samplers' comparison in the
 * {@code agm} experiment and the phase-space sampler contract of the conformance suite use them.
 * Both come from the posterior over the mixture component: given component k the clean sample and
 * the noisy state are jointly Gaussian, so E[x₁ | m] (AGM) and E[x₀ | x_τ] (diffusion) are weighted
 * sums of per-component Gaussian posterior means, with weights from the per-component marginal
 * likelihoods. AGM's ideal output is the label at x₁ = E[x₁ | m] (the label is linear in x₁ and ε,
 * and ε is fixed by m and x₁), divided by N_t; the ideal ε-prediction is (x_τ − √ᾱ·E[x₀ | x_τ])/√(1−ᾱ).
 * Inputs are [N, ...] with as many elements per example as the centres have coordinates.
 */
public final class GaussianMixtureOracle {

  private final double[][] centres;
  private final double std;
  private final int dims;

  /**
   * @param centres the component means, each of the same dimension
   * @param std the components' standard deviation
   */
  public GaussianMixtureOracle(double[][] centres, double std) {
    if (centres.length == 0 || !(std > 0)) {
      throw new IllegalArgumentException("a Gaussian mixture needs at least one centre and std > 0, got "
          + centres.length + " centres, std " + std);
    }
    this.dims = centres[0].length;
    for (double[] c : centres) {
      if (c.length != dims) {
        throw new IllegalArgumentException("all centres need " + dims + " coordinates, one has " + c.length);
      }
    }
    this.centres = centres.clone();
    this.std = std;
  }

  /** Kiln's {@code Toy2D.EIGHT_GAUSSIANS}: centres 2(cos kπ/4, sin kπ/4), std 0.1. */
  public static GaussianMixtureOracle eightGaussians() {
    double[][] c = new double[8][];
    for (int k = 0; k < 8; k++) {
      c[k] = new double[] {2 * Math.cos(k * Math.PI / 4), 2 * Math.sin(k * Math.PI / 4)};
    }
    return new GaussianMixtureOracle(c, 0.1);
  }

  /** The ideal AGM network output D = E[F_t | m]/N_t for inputs x, v [N, ...] under {@code process}. */
  public PhaseSpaceDenoiser agm(AgmProcess process) {
    return (x, v, t) -> {
      Bridge b = process.at(t);
      double cx = AgmProcess.meanX(t);
      double cv = AgmProcess.meanV(t);
      AgmProcess.Covariance sig = process.covariance(t);
      double s2 = std * std;
      // covariance M of (x, v) given the component, per coordinate, and E[x₁ | m, k] = c_k + w·(m − c·c_k)
      double mxx = s2 * cx * cx + sig.xx();
      double mxv = s2 * cx * cv + sig.xv();
      double mvv = s2 * cv * cv + sig.vv();
      double det = mxx * mvv - mxv * mxv;
      double wx = s2 * (cx * mvv - cv * mxv) / det;
      double wv = s2 * (-cx * mxv + cv * mxx) / det;
      int n = examples(x);
      float[] out = new float[dims * n];
      double[] logLik = new double[centres.length];
      double[][] post = new double[centres.length][dims];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < centres.length; k++) {
          logLik[k] = 0;
          for (int d = 0; d < dims; d++) {
            double dx = x.getFloat(dims * i + d) - cx * centres[k][d];
            double dv = v.getFloat(dims * i + d) - cv * centres[k][d];
            logLik[k] -= 0.5 * (mvv * dx * dx - 2 * mxv * dx * dv + mxx * dv * dv) / det;
            post[k][d] = centres[k][d] + wx * dx + wv * dv;
          }
        }
        double[] x1 = mix(logLik, post);
        for (int d = 0; d < dims; d++) {
          double xi = x.getFloat(dims * i + d);
          double vi = v.getFloat(dims * i + d);
          double ex = (xi - cx * x1[d]) / b.lxx();
          double ev = (vi - cv * x1[d] - b.lxv() * ex) / b.lvv();
          out[dims * i + d] = (float) (b.label(x1[d], ex, ev) / b.normalizer());
        }
      }
      return Tensor.of(out, x.shape());
    };
  }

  /** The ideal ε-prediction for inputs x [N, ...] at (possibly fractional) training timestep τ. */
  public Denoiser epsilon(NoiseSchedule schedule) {
    return (x, tau) -> {
      double ab = schedule.alphaCumprod(tau);
      double a = Math.sqrt(ab);
      double s = Math.sqrt(1 - ab);
      double var = ab * std * std + 1 - ab;
      int n = examples(x);
      float[] out = new float[dims * n];
      double[] logLik = new double[centres.length];
      double[][] post = new double[centres.length][dims];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < centres.length; k++) {
          logLik[k] = 0;
          for (int d = 0; d < dims; d++) {
            double r = x.getFloat(dims * i + d) - a * centres[k][d];
            logLik[k] -= 0.5 * r * r / var;
            post[k][d] = centres[k][d] + a * std * std * r / var;
          }
        }
        double[] x0 = mix(logLik, post);
        for (int d = 0; d < dims; d++) {
          out[dims * i + d] = (float) ((x.getFloat(dims * i + d) - a * x0[d]) / s);
        }
      }
      return Tensor.of(out, x.shape());
    };
  }

  private int examples(Tensor x) {
    long n = x.dim(0);
    if (x.size() != n * dims) {
      throw new IllegalArgumentException("the mixture has " + dims + " coordinates per example; got a tensor of shape "
          + java.util.Arrays.toString(x.shape()));
    }
    return (int) n;
  }

  /** Σ_k softmax(logLik)_k · post_k. */
  private double[] mix(double[] logLik, double[][] post) {
    double best = Double.NEGATIVE_INFINITY;
    for (double l : logLik) {
      best = Math.max(best, l);
    }
    double z = 0;
    double[] m = new double[dims];
    for (int k = 0; k < logLik.length; k++) {
      double w = Math.exp(logLik[k] - best);
      z += w;
      for (int d = 0; d < dims; d++) {
        m[d] += w * post[k][d];
      }
    }
    for (int d = 0; d < dims; d++) {
      m[d] /= z;
    }
    return m;
  }
}
