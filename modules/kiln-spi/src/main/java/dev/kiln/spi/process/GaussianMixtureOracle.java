package dev.kiln.spi.process;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.Arrays;

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

  /** One isotropic Gaussian N(mean, std²) in each of {@code dims} coordinates. */
  public static GaussianMixtureOracle isotropic(double mean, double std, int dims) {
    double[] centre = new double[dims];
    Arrays.fill(centre, mean);
    return new GaussianMixtureOracle(new double[][] {centre}, std);
  }

  /** Kiln's {@code Toy2D.EIGHT_GAUSSIANS}: centres 2(cos kπ/4, sin kπ/4), std 0.1. */
  public static GaussianMixtureOracle eightGaussians() {
    double[][] c = new double[8][];
    for (int k = 0; k < 8; k++) {
      c[k] = new double[] {2 * Math.cos(k * Math.PI / 4), 2 * Math.sin(k * Math.PI / 4)};
    }
    return new GaussianMixtureOracle(c, 0.1);
  }

  /**
   * Per coordinate, given one component with mean c and variance s², the state m = (x, v) at time t
   * has covariance M = s²·(c_x, c_v)(c_x, c_v)ᵀ + Σ_t, and E[x₁ | m, k] = c + (w_x, w_v)·(m − (c_x, c_v)·c)
   * with (w_x, w_v) = s²·(c_x, c_v)·M⁻¹.
   */
  record ComponentPosterior(double cx, double cv, double mxx, double mxv, double mvv, double det, double wx,
      double wv) {

    static ComponentPosterior at(AgmProcess process, double t, double std) {
      double cx = AgmProcess.meanX(t);
      double cv = AgmProcess.meanV(t);
      AgmProcess.Covariance sig = process.covariance(t);
      double s2 = std * std;
      double mxx = s2 * cx * cx + sig.xx();
      double mxv = s2 * cx * cv + sig.xv();
      double mvv = s2 * cv * cv + sig.vv();
      double det = mxx * mvv - mxv * mxv;
      return new ComponentPosterior(cx, cv, mxx, mxv, mvv, det, s2 * (cx * mvv - cv * mxv) / det,
          s2 * (-cx * mxv + cv * mxx) / det);
    }
  }

  /** The ideal AGM network output D = E[F_t | m]/N_t for inputs x, v [N, ...] under {@code process}. */
  public Denoiser agm(AgmProcess process) {
    return (state, t) -> {
      Tensor x = state.x();
      Tensor v = state.velocity("the exact AGM model");
      Bridge b = process.at(t);
      ComponentPosterior p = ComponentPosterior.at(process, t, std);
      int n = examples(x);
      float[] out = new float[dims * n];
      for (int i = 0; i < n; i++) {
        double[] x1 = posteriorMean(i, (e, c) -> {
          double dx = x.getFloat(e) - p.cx() * c;
          double dv = v.getFloat(e) - p.cv() * c;
          return -0.5 * (p.mvv() * dx * dx - 2 * p.mxv() * dx * dv + p.mxx() * dv * dv) / p.det();
        }, (e, c) -> c + p.wx() * (x.getFloat(e) - p.cx() * c) + p.wv() * (v.getFloat(e) - p.cv() * c));
        for (int d = 0; d < dims; d++) {
          double xi = x.getFloat(dims * i + d);
          double vi = v.getFloat(dims * i + d);
          double ex = (xi - p.cx() * x1[d]) / b.lxx();
          double ev = (vi - p.cv() * x1[d] - b.lxv() * ex) / b.lvv();
          out[dims * i + d] = (float) (b.label(x1[d], ex, ev) / b.normalizer());
        }
      }
      return Tensor.of(out, x.shape());
    };
  }

  /** The ideal ε-prediction for inputs x [N, ...] at (possibly fractional) training timestep τ. */
  public Denoiser epsilon(NoiseSchedule schedule) {
    return (state, tau) -> {
      Tensor x = state.x();
      double ab = schedule.alphaCumprod(tau);
      double a = Math.sqrt(ab);
      double s = Math.sqrt(1 - ab);
      double var = ab * std * std + 1 - ab;
      int n = examples(x);
      float[] out = new float[dims * n];
      for (int i = 0; i < n; i++) {
        double[] x0 = posteriorMean(i, (e, c) -> {
          double r = x.getFloat(e) - a * c;
          return -0.5 * r * r / var;
        }, (e, c) -> c + a * std * std * (x.getFloat(e) - a * c) / var);
        for (int d = 0; d < dims; d++) {
          out[dims * i + d] = (float) ((x.getFloat(dims * i + d) - a * x0[d]) / s);
        }
      }
      return Tensor.of(out, x.shape());
    };
  }

  /** A per-coordinate term of component k for tensor element e, given the component's centre coordinate c. */
  private interface Term {
    double at(int e, double c);
  }

  /**
   * E[clean | state] for example i: Σ_k softmax(log-likelihood)_k · E[clean | state, k], where each
   * coordinate adds {@code logLik} to component k's log-likelihood and {@code mean} is its posterior mean.
   */
  private double[] posteriorMean(int i, Term logLik, Term mean) {
    double[] ll = new double[centres.length];
    double[][] post = new double[centres.length][dims];
    for (int k = 0; k < centres.length; k++) {
      for (int d = 0; d < dims; d++) {
        ll[k] += logLik.at(dims * i + d, centres[k][d]);
        post[k][d] = mean.at(dims * i + d, centres[k][d]);
      }
    }
    return mix(ll, post);
  }

  private int examples(Tensor x) {
    long n = x.dim(0);
    if (x.size() != n * dims) {
      throw new IllegalArgumentException("the mixture has " + dims + " coordinates per example; got a tensor of shape "
          + Arrays.toString(x.shape()));
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
