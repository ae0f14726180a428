package dev.kiln.diffusion.boot;

/**
 * Settings of the one-step {@code "boot"} sampler. A BOOT student's metadata stores them in its
 * {@code scheduler_config}, so {@code dev.kiln.inference.GenerativeModel#sampler} picks them up.
 *
 * @param finalTimestep the time the student is asked for: the clean end of its grid (−1, ᾱ = 1)
 */
public record BootSamplerConfig(Double finalTimestep) {

  public BootSamplerConfig {
    finalTimestep = finalTimestep == null ? SignalGrid.CLEAN_TIMESTEP : finalTimestep;
    if (!Double.isFinite(finalTimestep)) {
      throw new IllegalArgumentException("boot sampler field `final_timestep` must be finite, got " + finalTimestep);
    }
  }

  public static BootSamplerConfig defaults() {
    return new BootSamplerConfig(null);
  }
}
