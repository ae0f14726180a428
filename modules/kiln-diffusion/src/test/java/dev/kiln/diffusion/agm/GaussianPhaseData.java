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

  /** E[x₁ | x, v] = μ + w_x·(x − c_x μ) + w_v·(v − c_v μ) at time t: {w_x, w_v}. */
  double[] posteriorWeights(double t) {
    double cx = AgmProcess.meanX(t);
    double cv = AgmProcess.meanV(t);
    AgmProcess.Covariance sig = process.covariance(t);
    double s2 = s * s;
    double mxx = s2 * cx * cx + sig.xx();
    double mxv = s2 * cx * cv + sig.xv();
    double mvv = s2 * cv * cv + sig.vv();
    double det = mxx * mvv - mxv * mxv;
    // s²·(c_x, c_v)·M⁻¹
    return new double[] {s2 * (cx * mvv - cv * mxv) / det, s2 * (-cx * mxv + cv * mxx) / det};
  }

  /** The ideal normalised drift D = E[F_t | m]/N_t at (x, v). */
  double drift(Bridge b, double[] w, double x, double v) {
    double t = b.t();
    double cx = AgmProcess.meanX(t);
    double cv = AgmProcess.meanV(t);
    double x1 = mu + w[0] * (x - cx * mu) + w[1] * (v - cv * mu);
    double ex = (x - cx * x1) / b.lxx();
    double ev = (v - cv * x1 - b.lxv() * ex) / b.lvv();
    return b.label(x1, ex, ev) / b.normalizer();
  }

  /** The ideal model on float32 tensors, as a network would be. */
  PhaseSpaceDenoiser denoiser() {
    return (x, v, t) -> {
      Bridge b = process.at(t);
      double[] w = posteriorWeights(t);
      float[] out = new float[x.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) drift(b, w, x.getFloat(i), v.getFloat(i));
      }
      return Tensor.of(out, x.shape());
    };
  }
}
