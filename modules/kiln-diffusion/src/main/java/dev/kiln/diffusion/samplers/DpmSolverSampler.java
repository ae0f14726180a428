package dev.kiln.diffusion.samplers;

import dev.kiln.spi.StateSpace;

/**
 * DPM-Solver++(2M) (Lu et al., arXiv 2211.01095, Algorithm 2), as diffusers'
 * {@code DPMSolverMultistepScheduler} with {@code algorithm_type = dpmsolver++} and k-diffusion's
 * {@code sample_dpmpp_2m}; "DPM++ 2M Karras" with {@code use_karras_sigmas}. One model call per step;
 * the second-order correction reuses the previous step's x̂₀. In the notation of
 * {@link DpmSolverMultistep}, with φ = e^{−h} − 1:
 *
 * <pre>
 *   first order:  x_next = (σ_next/σ_now)·x − α_next·φ·D₀
 *   midpoint:     x_next = (σ_next/σ_now)·x − α_next·φ·(D₀ + D₁/2)
 *   heun:         x_next = (σ_next/σ_now)·x − α_next·φ·D₀ + α_next·(φ/h + 1)·D₁
 * </pre>
 */
public final class DpmSolverSampler extends DpmSolverMultistep {

  public DpmSolverSampler(DpmSolverConfig config) {
    super(config, "dpmsolver++", "dpmpp-2m");
  }

  @Override
  Update update(double alphaNext, double sigmaNext, double sigmaNow, double h, boolean secondOrder) {
    double phi = Math.expm1(-h);
    double d1 = !secondOrder ? 0 : config().heun() ? alphaNext * (phi / h + 1) : -0.5 * alphaNext * phi;
    return new Update(sigmaNext / sigmaNow, -alphaNext * phi, d1, 0);
  }

  @Override
  public Promises promises() {
    return Promises.ode(StateSpace.POSITION, config().solverOrder());
  }
}
