package dev.kiln.spi.process;

/**
 * The phase-space process of the Acceleration Generative Model (Chen, Gu, Dinh, Theodorou,
 * Susskind, Zhai, "Generative Modeling with Phase Stochastic Bridges", arXiv 2310.07805, §3;
 * reproduction in {@code docs/reproductions/agm.md}). The state is m = (x, v), position and
 * velocity, each of the data's shape; time runs from the prior at t = 0 to the data at t = 1:
 *
 * <pre>
 *   dx = v dt,   dv = a(m, t) dt + g(t) dW,   g(t) = p·(1−t)
 * </pre>
 *
 * Conditioned on a data point x₁, the minimum-energy control that steers the double integrator to x₁
 * is {@code a*(m, t) = 4/(1−t)·((x₁ − x)/(1−t) − v)}, and m_t | x₁ is Gaussian per coordinate. With
 * u = 1 − t, zero prior means and the prior covariance Σ₀ = [[varx, −k√(varx·varv)], [·, varv]]
 * (note the negative x–v term):
 *
 * <pre>
 *   μ_x = x₁·t²(t²−4t+6)/3,   μ_v = x₁·4t(t²−3t+3)/3
 *   Σ_t = Φ_t Σ₀ Φ_tᵀ + Q_t,   Φ_t = [[(4u−u⁴)/3, (u−u⁴)/3], [4(u³−1)/3, (4u³−1)/3]]
 *   Q_t = p²/9 · [[u²(1−u³)/3 + 2u⁵ ln u + (u⁵−u⁸)/3,  −u(1−u³)/3 − 5u⁴ ln u − 4(u⁴−u⁷)/3],
 *                 [·,                                   (1−u³)/3 + 8u³ ln u + 16(u³−u⁶)/3]]
 * </pre>
 *
 * Φ is the transition matrix of the controlled linear dynamics (its homogeneous solutions are
 * x = u and x = u⁴), Q the integral of Φ·diag(0, g²)·Φᵀ; together they solve the Lyapunov equation
 * {@code dΣ/dt = AΣ + ΣAᵀ + diag(0, g²)}, A = [[0, 1], [−4/u², −4/u]], which the tests integrate
 * numerically to check these forms. Everything derived from one time t (Cholesky factors, labels,
 * the normaliser, the early prediction of x₁) is in {@link Bridge}, from {@link #at}.
 *
 * <p>The record is also the {@code "process"} section of recipes and sampler configs; null means
 * default (the paper's p = 3, k = 0.2, varx = varv = 1, probability-flow labels).
 *
 * @param p diffusion scale of g(t) = p(1−t)
 * @param k x–v correlation of the prior (its covariance entry is −k√(varx·varv))
 * @param varx prior variance of x
 * @param varv prior variance of v
 * @param deType the dynamics the network's label describes
 */
public record AgmProcess(Double p, Double k, Double varx, Double varv, DeType deType) {

  public AgmProcess {
    p = p == null ? 3.0 : p;
    k = k == null ? 0.2 : k;
    varx = varx == null ? 1.0 : varx;
    varv = varv == null ? 1.0 : varv;
    deType = deType == null ? DeType.PROB_ODE : deType;
    if (!(p > 0)) {
      throw new IllegalArgumentException("process field `p` must be > 0, got " + p);
    }
    if (!(varx > 0) || !(varv > 0)) {
      throw new IllegalArgumentException("process fields `varx` and `varv` must be > 0, got " + varx + ", " + varv);
    }
    if (!(k > -1 && k < 1)) {
      throw new IllegalArgumentException("process field `k` must be in (-1, 1), got " + k);
    }
  }

  /** The paper's process with probability-flow labels. */
  public static AgmProcess defaults() {
    return new AgmProcess(null, null, null, null, null);
  }

  /** This process with labels for other dynamics. */
  public AgmProcess withDeType(DeType type) {
    return new AgmProcess(p, k, varx, varv, type);
  }

  /** g(t) = p(1−t). */
  public double diffusion(double t) {
    return p * (1 - t);
  }

  /** μ_x(t)/x₁ = t²(t²−4t+6)/3: 0 at the prior, 1 at the data. */
  public static double meanX(double t) {
    return t * t * (t * t - 4 * t + 6) / 3;
  }

  /** μ_v(t)/x₁ = 4t(t²−3t+3)/3. */
  public static double meanV(double t) {
    return 4 * t * (t * t - 3 * t + 3) / 3;
  }

  /** The 2×2 covariance of (x_t, v_t) | x₁ per coordinate, for t in [0, 1]; at t = 1 only Σ_vv is nonzero. */
  public Covariance covariance(double t) {
    if (!(t >= 0 && t <= 1)) {
      throw new IllegalArgumentException("AGM time must be in [0, 1], got " + t);
    }
    double u = 1 - t;
    double u3 = u * u * u;
    double u4 = u3 * u;
    double fxx = (4 * u - u4) / 3;
    double fxv = (u - u4) / 3;
    double fvx = 4 * (u3 - 1) / 3;
    double fvv = (4 * u3 - 1) / 3;
    double s0xv = -k * Math.sqrt(varx * varv);
    // Φ Σ₀ Φᵀ
    double axx = fxx * fxx * varx + 2 * fxx * fxv * s0xv + fxv * fxv * varv;
    double axv = fxx * fvx * varx + (fxx * fvv + fxv * fvx) * s0xv + fxv * fvv * varv;
    double avv = fvx * fvx * varx + 2 * fvx * fvv * s0xv + fvv * fvv * varv;
    double lu = u == 0 ? 0 : Math.log(u);
    double c = p * p / 9;
    double u5 = u4 * u;
    double qxx = c * (u * u * (1 - u3) / 3 + 2 * u5 * lu + (u5 - u5 * u3) / 3);
    double qxv = c * (-u * (1 - u3) / 3 - 5 * u4 * lu - 4 * (u4 - u4 * u3) / 3);
    double qvv = c * ((1 - u3) / 3 + 8 * u3 * lu + 16 * (u3 - u3 * u3) / 3);
    return new Covariance(axx + qxx, axv + qxv, avv + qvv);
  }

  /** Everything the process says at time t ∈ [0, 1): moments, Cholesky factors, label and normaliser. */
  public Bridge at(double t) {
    if (!(t >= 0 && t < 1)) {
      throw new IllegalArgumentException("AGM time must be in [0, 1), got " + t);
    }
    return new Bridge(this, t, covariance(t));
  }

  /**
   * A symmetric 2×2 covariance per coordinate.
   *
   * @param xx Σ_xx
   * @param xv Σ_xv
   * @param vv Σ_vv
   */
  public record Covariance(double xx, double xv, double vv) {}
}
