package dev.kiln.diffusion.samplers;

import java.util.Arrays;

/**
 * A σ-stepping sampler's schedule for one run: the timestep the model is called at for each step and
 * the noise levels, one more than the timesteps (the level after the last step).
 *
 * @param timesteps n timesteps, descending, possibly fractional
 * @param sigmas n + 1 noise levels, descending
 */
record SigmaPlan(double[] timesteps, double[] sigmas) {

  static SigmaPlan of(double[] timesteps, double[] sigmas, double last) {
    double[] all = Arrays.copyOf(sigmas, sigmas.length + 1);
    all[sigmas.length] = last;
    return new SigmaPlan(timesteps, all);
  }

  /**
   * The scale of the initial noise: the largest σ, or √(σ²+1) of it for leading spacing. The latter is
   * diffusers' rule, kept so that samples match diffusers'.
   */
  double initNoiseSigma(TimestepSpacing spacing) {
    double max = Arrays.stream(sigmas).max().orElseThrow();
    return spacing == TimestepSpacing.LEADING ? Math.sqrt(max * max + 1) : max;
  }
}
