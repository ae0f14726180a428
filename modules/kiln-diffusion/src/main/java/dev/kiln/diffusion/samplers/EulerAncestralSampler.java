package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.StateSpace;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.random.RandomGenerator;

/**
 * Euler ancestral sampling ("Euler a"), as diffusers' {@code EulerAncestralDiscreteScheduler} and
 * k-diffusion's {@code sample_euler_ancestral} with η = 1. Each step σ → σ' splits into a
 * deterministic Euler step down to σ↓ and fresh noise σ↑ such that σ↓² + σ↑² = σ'², the DDPM posterior
 * in σ-scale (Ho et al., arXiv 2006.11239):
 *
 * <pre>
 *   σ↑ = √(σ'²·(σ² − σ'²)/σ²),   σ↓ = √(σ'² − σ↑²)
 *   x ← x + (σ↓ − σ)·(x − x̂₀)/σ + σ↑·z
 * </pre>
 */
public final class EulerAncestralSampler implements Sampler {

  private final EulerAncestralConfig config;
  private final NoiseSchedule schedule;
  private final SigmaTable table;

  public EulerAncestralSampler(EulerAncestralConfig config) {
    this.config = config;
    this.schedule = config.schedule().schedule();
    this.table = SigmaTable.of(schedule, config.schedule().rescaleBetasZeroSnr());
  }

  public EulerAncestralConfig config() {
    return config;
  }

  /** The training schedule. */
  public NoiseSchedule schedule() {
    return schedule;
  }

  /** The (possibly fractional) timesteps the model is called at, descending. */
  public double[] timesteps(int steps) {
    return plan(steps).timesteps();
  }

  /** The noise levels σ₀ &gt; … &gt; σ_{n−1} and 0: n + 1 values. */
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
    for (int i = 0; i < steps; i++) {
      double from = sig[i];
      double to = sig[i + 1];
      double[] x0 = run.denoiseAtSigma(config.schedule().predictionType(), x, from, plan.timesteps()[i]).x0();
      double up = Math.sqrt(to * to * (from * from - to * to) / (from * from));
      double down = Math.sqrt(to * to - up * up);
      double[] z = run.gaussian(rng, up);
      for (int j = 0; j < x.length; j++) {
        x[j] += (x[j] - x0[j]) / from * (down - from) + z[j];
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
    return SigmaPlan.of(ts, sig, 0);
  }

  @Override
  public Promises promises() {
    return Promises.sde(StateSpace.POSITION);
  }
}
