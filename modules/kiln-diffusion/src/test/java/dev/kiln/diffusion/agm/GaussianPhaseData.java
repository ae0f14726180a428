package dev.kiln.diffusion.agm;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.PhaseSpaceDenoiser;

/**
 * Data x₁ ~ N(μ, s²) in every coordinate, for which the ideal AGM network is closed form. Given x₁,
 * m_t = c·x₁ + Lε with c = (c_x, c_v), so (x₁, m_t) is jointly Gaussian and
 * E[x₁ | m] = μ + s²cᵀ(s²ccᵀ + Σ_t)⁻¹(m − cμ). The label is linear in (x₁, ε) and ε is a linear
 * function of (x₁, m), so E[F_t | m] is the label at x₁ = E[x₁ | m] with the ε that makes m.
 */
record GaussianPhaseData(double mu, double s, AgmProcess process) {

  /** E[x₁ | x, v] at time t. */
  double posteriorMean(double x, double v, double t) {
    double cx = AgmProcess.meanX(t);
    double cv = AgmProcess.meanV(t);
    AgmProcess.Covariance sig = process.covariance(t);
    double s2 = s * s;
    double mxx = s2 * cx * cx + sig.xx();
    double mxv = s2 * cx * cv + sig.xv();
    double mvv = s2 * cv * cv + sig.vv();
    double det = mxx * mvv - mxv * mxv;
    double dx = x - cx * mu;
    double dv = v - cv * mu;
    // (cx, cv)·M⁻¹·(dx, dv)
    double wx = (mvv * dx - mxv * dv) / det;
    double wv = (-mxv * dx + mxx * dv) / det;
    return mu + s2 * (cx * wx + cv * wv);
  }

  /** The ideal normalised drift D = E[F_t | m]/N_t. */
  double drift(double x, double v, double t) {
    Bridge b = process.at(t);
    double x1 = posteriorMean(x, v, t);
    double ex = (x - AgmProcess.meanX(t) * x1) / b.lxx();
    double ev = (v - AgmProcess.meanV(t) * x1 - b.lxv() * ex) / b.lvv();
    return b.label(x1, ex, ev) / b.normalizer();
  }

  /** The ideal model on float32 tensors, as a network would be. */
  PhaseSpaceDenoiser denoiser() {
    return (x, v, t) -> {
      float[] out = new float[x.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) drift(x.getFloat(i), v.getFloat(i), t);
      }
      return Tensor.of(out, x.shape());
    };
  }
}
