package dev.kiln.diffusion.agm;

import dev.kiln.spi.PhaseSpaceDenoiser;

/**
 * Data x₁ ~ N(μ, s²) in every coordinate, for which the ideal AGM network is closed form
 * ({@link GaussianMixtureOracle} with one component).
 */
record GaussianPhaseData(double mu, double s, AgmProcess process) {

  /** The ideal model on float32 tensors [N, ...], as a network would be. */
  PhaseSpaceDenoiser denoiser() {
    return (x, v, t) -> GaussianMixtureOracle.isotropic(mu, s, (int) (x.size() / x.dim(0))).agm(process)
        .predict(x, v, t);
  }
}
