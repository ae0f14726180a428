package dev.kiln.diffusion.samplers;

import dev.kiln.spi.StateSpace;

/**
 * SDE-DPM-Solver++(2M) (Lu et al., arXiv 2211.01095, appendix), as diffusers'
 * {@code DPMSolverMultistepScheduler} with {@code algorithm_type = sde-dpmsolver++} ("DPM++ 2M SDE").
 * The data-prediction SDE solved exactly in its linear part; fresh noise every step. In the notation
 * of {@link DpmSolverMultistep}, with ψ = 1 − e^{−2h}:
 *
 * <pre>
 *   first order:  x_next = (σ_next/σ_now)·e^{−h}·x + α_next·ψ·D₀ + σ_next·√ψ·z
 *   midpoint:     x_next = (σ_next/σ_now)·e^{−h}·x + α_next·ψ·(D₀ + D₁/2) + σ_next·√ψ·z
 *   heun:         x_next = (σ_next/σ_now)·e^{−h}·x + α_next·ψ·D₀ + α_next·(ψ/(−2h) + 1)·D₁
 *                 + σ_next·√ψ·z
 * </pre>
 */
public final class DpmSolverSdeSampler extends DpmSolverMultistep {

  public DpmSolverSdeSampler(DpmSolverConfig config) {
    super(config, "sde-dpmsolver++", "dpmpp-2m-sde");
  }

  @Override
  Update update(double alphaNext, double sigmaNext, double sigmaNow, double h, boolean secondOrder) {
    double psi = -Math.expm1(-2 * h);
    double d1 = !secondOrder ? 0 : config().heun() ? alphaNext * (psi / (-2 * h) + 1) : 0.5 * alphaNext * psi;
    return new Update(sigmaNext / sigmaNow * Math.exp(-h), alphaNext * psi, d1, sigmaNext * Math.sqrt(psi));
  }

  @Override
  public Promises promises() {
    return Promises.sde(StateSpace.POSITION);
  }
}
