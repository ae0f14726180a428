package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.StateSpace;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.random.RandomGenerator;

/**
 * Euler's method on the probability-flow ODE in σ (Karras et al., arXiv 2206.00364, Algorithm 2 with
 * the first-order step only), as diffusers' {@code EulerDiscreteScheduler} and k-diffusion's
 * {@code sample_euler}. x lives in σ-scale (x = x₀ + σ·ε); the model sees x/√(σ²+1), the
 * variance-preserving x_t it was trained on. For each σ_i → σ_{i+1}:
 *
 * <pre>
 *   γ = min(s_churn/n, √2−1) if s_tmin ≤ σ_i ≤ s_tmax else 0;   σ̂ = σ_i·(1+γ)
 *   x ← x + √(σ̂² − σ_i²)·s_noise·z                      (only when γ &gt; 0)
 *   d = (x − x̂₀(x, σ̂))/σ̂;   x ← x + (σ_{i+1} − σ̂)·d
 * </pre>
 *
 * With churn the model is called at σ̂ (its fractional timestep), as in the paper and k-diffusion;
 * diffusers calls it at σ_i. Without churn the two agree.
 */
public final class EulerSampler implements Sampler {

  private final EulerConfig config;
  private final NoiseSchedule schedule;
  private final SigmaTable table;

  public EulerSampler(EulerConfig config) {
    this.config = config;
    this.schedule = config.schedule().schedule();
    this.table = SigmaTable.of(schedule, config.schedule().rescaleBetasZeroSnr());
  }

  public EulerConfig config() {
    return config;
  }

  /** The training schedule. */
  public NoiseSchedule schedule() {
    return schedule;
  }

  /** The (possibly fractional) timesteps the model is called at without churn, descending. */
  public double[] timesteps(int steps) {
    return plan(steps).timesteps();
  }

  /** The noise levels σ₀ &gt; … &gt; σ_{n−1} and the final one (0 or σ at t = 0): n + 1 values. */
  public double[] sigmas(int steps) {
    return plan(steps).sigmas();
  }

  /** The scale of the initial noise: σ₀, or √(σ₀²+1) for leading spacing (as diffusers). */
  public double initNoiseSigma(int steps) {
    return plan(steps).initNoiseSigma(config.timestepSpacing());
  }

  @Override
  public Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng) {
    SamplingRun run = new SamplingRun(denoiser, shape, steps);
    SigmaPlan plan = plan(steps);
    double[] sig = plan.sigmas();
    double[] x = run.gaussian(rng, plan.initNoiseSigma(config.timestepSpacing()));
    double maxGamma = Math.sqrt(2) - 1;
    for (int i = 0; i < steps; i++) {
      double sigma = sig[i];
      double gamma = config.sTmin() <= sigma && sigma <= config.sTmax()
          ? Math.min(config.sChurn() / steps, maxGamma) : 0;
      double sigmaHat = sigma * (1 + gamma);
      double t = plan.timesteps()[i];
      if (gamma > 0) {
        double[] z = run.gaussian(rng, config.sNoise() * Math.sqrt(sigmaHat * sigmaHat - sigma * sigma));
        for (int j = 0; j < x.length; j++) {
          x[j] += z[j];
        }
        t = table.timestep(sigmaHat);
      }
      double[] x0 = run.denoiseAtSigma(config.schedule().predictionType(), x, sigmaHat, t).x0();
      double dt = sig[i + 1] - sigmaHat;
      for (int j = 0; j < x.length; j++) {
        x[j] += (x[j] - x0[j]) / sigmaHat * dt;
      }
    }
    return run.tensor(x);
  }

  private SigmaPlan plan(int steps) {
    double[] ts = config.timestepSpacing().continuous(config.schedule().numTrainTimesteps(), steps, config.stepsOffset());
    double[] sig = new double[steps];
    for (int i = 0; i < steps; i++) {
      sig[i] = table.at(ts[i]);
    }
    if (config.useKarrasSigmas()) {
      double min = config.sigmaMin() != null ? config.sigmaMin() : sig[steps - 1];
      double max = config.sigmaMax() != null ? config.sigmaMax() : sig[0];
      sig = SigmaTable.karras(steps, min, max);
      for (int i = 0; i < steps; i++) {
        ts[i] = table.timestep(sig[i]);
      }
    }
    return SigmaPlan.of(ts, sig, config.finalSigmasType().equals("zero") ? 0 : table.at(0));
  }

  @Override
  public Promises promises() {
    return config.sChurn() > 0 ? Promises.sde(StateSpace.POSITION) : Promises.ode(StateSpace.POSITION, 1);
  }
}
