package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.StateSpace;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.random.RandomGenerator;

/**
 * DDIM (Song, Meng, Ermon, arXiv 2010.02502, eq. 12), as diffusers' {@code DDIMScheduler}. From timestep
 * t to t' = t − ⌊T/n⌋ (diffusers takes that step size whatever the spacing; ᾱ_{t'} for t' &lt; 0 is 1,
 * or ᾱ₀ without {@code set_alpha_to_one}):
 *
 * <pre>
 *   σ_t = η·√((1−ᾱ_{t'})/(1−ᾱ_t))·√(1−ᾱ_t/ᾱ_{t'})
 *   x_{t'} = √ᾱ_{t'}·x̂₀ + √(1−ᾱ_{t'}−σ_t²)·ε̂ + σ_t·z
 * </pre>
 *
 * ε̂ is the model's, not recomputed from a clipped x̂₀. η = 0 is deterministic.
 */
public final class DdimSampler implements Sampler {

  private final DdimConfig config;
  private final NoiseSchedule schedule;
  private final SampleClipping clipping;

  public DdimSampler(DdimConfig config) {
    this.config = config;
    this.schedule = config.schedule().schedule();
    this.clipping = config.clipping();
  }

  public DdimConfig config() {
    return config;
  }

  /** The training schedule. */
  public NoiseSchedule schedule() {
    return schedule;
  }

  /** The integer timesteps the model is called at, descending. */
  public double[] timesteps(int steps) {
    return config.timestepSpacing().checkedDiscrete("ddim", config.schedule().numTrainTimesteps(), steps, config.stepsOffset());
  }

  @Override
  public Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng) {
    SamplingRun run = new SamplingRun(denoiser, shape, steps);
    double[] ts = timesteps(steps);
    int stride = config.schedule().numTrainTimesteps() / steps;
    double finalAlphaBar = config.setAlphaToOne() ? 1 : schedule.alphaCumprod(0);
    double eta = config.eta();
    double[] x = run.gaussian(rng, 1);
    for (double timestep : ts) {
      int t = (int) timestep;
      int prev = t - stride;
      double ab = schedule.alphaCumprod(t);
      double abPrev = prev >= 0 ? schedule.alphaCumprod(prev) : finalAlphaBar;
      Denoised d = Denoised.of(config.schedule().predictionType(), run.predict(x, t), x, ab);
      double[] x0 = clipping.apply(d.x0(), run.batch());
      double[] eps = d.eps();
      double sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab) * (1 - ab / abPrev));
      double cx0 = Math.sqrt(abPrev);
      // 0 when ᾱ_{t'} = 1; rounding must not make it negative
      double ceps = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
      for (int j = 0; j < x.length; j++) {
        x[j] = cx0 * x0[j] + ceps * eps[j];
      }
      if (eta > 0) {
        for (int j = 0; j < x.length; j++) {
          x[j] += sigma * rng.nextGaussian();
        }
      }
    }
    return run.tensor(x);
  }

  @Override
  public Promises promises() {
    return config.eta() > 0 ? Promises.sde(StateSpace.POSITION) : Promises.ode(StateSpace.POSITION, 1);
  }
}
