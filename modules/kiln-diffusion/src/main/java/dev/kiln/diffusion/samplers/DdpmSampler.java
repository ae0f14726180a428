package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.StateSpace;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.random.RandomGenerator;

/**
 * DDPM ancestral sampling (Ho et al., arXiv 2006.11239, Algorithm 2), as diffusers' {@code DDPMScheduler}
 * with {@code variance_type = fixed_small}. From timestep t to the next sampled timestep t' (−1 after
 * the last, ᾱ₋₁ = 1), with β := 1 − ᾱ_t/ᾱ_{t'} so that skipping timesteps stays a posterior step:
 *
 * <pre>
 *   x_{t'} = √ᾱ_{t'}·β/(1−ᾱ_t)·x̂₀ + √(1−β)·(1−ᾱ_{t'})/(1−ᾱ_t)·x_t + σ·z
 *   σ² = (1−ᾱ_{t'})/(1−ᾱ_t)·β   (fixed_large: σ² = β; no noise from t = 0)
 * </pre>
 */
public final class DdpmSampler implements Sampler {

  private final DdpmConfig config;
  private final NoiseSchedule schedule;
  private final SampleClipping clipping;

  public DdpmSampler(DdpmConfig config) {
    this.config = config;
    this.schedule = config.schedule().schedule();
    this.clipping = config.clipping();
  }

  public DdpmConfig config() {
    return config;
  }

  /** The training schedule. */
  public NoiseSchedule schedule() {
    return schedule;
  }

  /** The integer timesteps the model is called at, descending. */
  public double[] timesteps(int steps) {
    return config.timestepSpacing().checkedDiscrete("ddpm", config.schedule().numTrainTimesteps(), steps, config.stepsOffset());
  }

  @Override
  public Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng) {
    SamplingRun run = new SamplingRun(denoiser, shape, steps);
    double[] ts = timesteps(steps);
    double[] x = run.gaussian(rng, 1);
    for (int i = 0; i < ts.length; i++) {
      int t = (int) ts[i];
      double ab = schedule.alphaCumprod(t);
      double abPrev = i + 1 < ts.length ? schedule.alphaCumprod((int) ts[i + 1]) : 1;
      double alpha = ab / abPrev;
      double beta = 1 - alpha;
      double[] x0 = clipping.apply(Denoised.of(config.schedule().predictionType(), run.predict(x, t), x, ab).x0(), run.batch());
      double cx0 = Math.sqrt(abPrev) * beta / (1 - ab);
      double cx = Math.sqrt(alpha) * (1 - abPrev) / (1 - ab);
      double[] next = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        next[j] = cx0 * x0[j] + cx * x[j];
      }
      if (t > 0) {
        double std = Math.sqrt(variance(ab, abPrev, beta));
        for (int j = 0; j < x.length; j++) {
          next[j] += std * rng.nextGaussian();
        }
      }
      x = next;
    }
    return run.tensor(x);
  }

  private double variance(double ab, double abPrev, double beta) {
    if (config.varianceType().equals("fixed_large")) {
      return beta;
    }
    // diffusers' floor: keeps the log of fixed_small_log finite when ᾱ_{t'} = 1
    return Math.max((1 - abPrev) / (1 - ab) * beta, 1e-20);
  }

  @Override
  public Promises promises() {
    return Promises.sde(StateSpace.POSITION);
  }
}
