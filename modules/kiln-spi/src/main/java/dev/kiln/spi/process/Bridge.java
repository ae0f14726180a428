package dev.kiln.spi.process;

/**
 * The AGM bridge at one time t (arXiv 2310.07805; see {@link AgmProcess}): the law of m_t | x₁,
 * the network's training label, its normaliser and the label's inverse, the early prediction of x₁.
 * With u = 1 − t, P = 4/u, g = p·u and the Cholesky factors of Σ_t (L_xx = √Σ_xx,
 * L_xv = Σ_xv/L_xx, L_vv = √(Σ_vv − L_xv²)) and ℓ = −1/L_vv (∇_v log p(m_t | x₁) = ℓ·ε_v):
 *
 * <pre>
 *   x_t = μ_x + L_xx ε_x,   v_t = μ_v + L_xv ε_x + L_vv ε_v
 *   F_t = 4x₁u² − P·((L_xx/u + L_xv)·ε_x + L_vv·ε_v)  [− ½g²ℓ·ε_v for the probability-flow ODE]
 *   N_t = √((P(L_xx/u + L_xv))² + (P·L_vv − ½g²ℓ)²) / u   (SDE: without the ℓ term)
 * </pre>
 *
 * F_t is a*(m_t, t) (SDE) or a* − ½g²∇_v log p (probability flow). N_t only rescales the label: the
 * network learns F_t/N_t and samplers multiply its output back by N_t. Inverting F for x₁ gives the
 * early prediction x̂₁ = (f + P(a·x + b·v)) / (4u² + P(a·c_x + b·c_v)) with b = (L_vv + ½g²ℓ/P)/L_vv
 * (1 for the SDE), a = (L_xx/u + L_xv − b·L_xv)/L_xx and μ = (c_x, c_v)·x₁; for the SDE it reduces
 * to x̂₁ = (f/P + v)·u + x. All in double precision.
 */
public final class Bridge {

  private final double t;
  private final double u;
  private final double lxx;
  private final double lxv;
  private final double lvv;
  private final double ell;
  private final double bigP;
  private final double g;
  private final double cx;
  private final double cv;
  private final double normalizer;
  private final double coefX;
  private final double coefV;
  private final double scoreTerm;
  private final DeType deType;

  Bridge(AgmProcess process, double t, AgmProcess.Covariance cov) {
    this.t = t;
    this.u = 1 - t;
    this.deType = process.deType();
    this.lxx = Math.sqrt(cov.xx());
    this.lxv = cov.xv() / lxx;
    // Σ_vv − L_xv² is a difference of nearly equal numbers as t → 1 (x and v become perfectly
    // anticorrelated); in double it keeps ~7 digits at t = 0.999. Rounding below zero means zero.
    this.lvv = Math.sqrt(Math.max(0, cov.vv() - lxv * lxv));
    this.ell = -1 / lvv;
    this.bigP = 4 / u;
    this.g = process.diffusion(t);
    this.cx = AgmProcess.meanX(t);
    this.cv = AgmProcess.meanV(t);
    boolean ode = deType == DeType.PROB_ODE;
    double aa = lxx / u + lxv;
    this.scoreTerm = ode ? -0.5 * g * g * ell : 0;
    this.normalizer = Math.sqrt(sq(bigP * aa) + sq(bigP * lvv + scoreTerm)) / u;
    this.coefX = -bigP * aa;
    this.coefV = -bigP * lvv + scoreTerm;
  }

  private static double sq(double a) {
    return a * a;
  }

  public double t() {
    return t;
  }

  /** L_xx, L_xv, L_vv: the Cholesky factor of Σ_t. */
  public double lxx() {
    return lxx;
  }

  public double lxv() {
    return lxv;
  }

  public double lvv() {
    return lvv;
  }

  /** ℓ_t = −1/L_vv = −√(Σ_xx / det Σ). */
  public double ell() {
    return ell;
  }

  /** N_t, the label's scale. */
  public double normalizer() {
    return normalizer;
  }

  /** x_t = μ_x + L_xx ε_x. */
  public double position(double x1, double epsX) {
    return cx * x1 + lxx * epsX;
  }

  /** v_t = μ_v + L_xv ε_x + L_vv ε_v. */
  public double velocity(double x1, double epsX, double epsV) {
    return cv * x1 + lxv * epsX + lvv * epsV;
  }

  /** The acceleration label F_t for the draw (x₁, ε_x, ε_v), before normalisation. */
  public double label(double x1, double epsX, double epsV) {
    return 4 * x1 * u * u + coefX * epsX + coefV * epsV;
  }

  /** x̂₁ from an acceleration f (the network's output times N_t) at (x, v). */
  public double estimateX1(double f, double x, double v) {
    if (deType == DeType.SDE) {
      return (f / bigP + v) * u + x;
    }
    double b = (lvv - scoreTerm / bigP) / lvv;
    double a = (lxx / u + lxv - b * lxv) / lxx;
    return (f + bigP * (a * x + b * v)) / (4 * u * u + bigP * (a * cx + b * cv));
  }
  /** x̂₁ for every element, from the network outputs {@code out} (the label divided by N_t) at (x, v). */
  public double[] estimateX1(double[] out, double[] x, double[] v) {
    double[] x1 = new double[x.length];
    double n = normalizer();
    for (int i = 0; i < x.length; i++) {
      x1[i] = estimateX1(n * out[i], x[i], v[i]);
    }
    return x1;
  }

}
