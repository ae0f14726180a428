package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.GaussianMixtureOracle;
import dev.kiln.spi.process.AgmProcess;
import dev.kiln.spi.Denoiser;

/**
 * Data x₁ ~ N(μ, s²) in every coordinate, for which the ideal AGM network is closed form
 * ({@link GaussianMixtureOracle} with one component).
 */
record GaussianPhaseData(double mu, double s, AgmProcess process) {

  /** The ideal model on float32 tensors [N, ...], as a network would be. */
  Denoiser denoiser() {
    return (state, t) -> GaussianMixtureOracle.isotropic(mu, s, (int) (state.x().size() / state.x().dim(0)))
        .agm(process).predict(state, t);
  }
}
