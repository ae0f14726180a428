package dev.kiln.diffusion.boot;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "boot"}: {@link BootSampler}, the one-step sampler of a BOOT student. */
public final class BootSamplerProvider implements SamplerProvider<BootSamplerConfig> {

  @Override
  public String name() {
    return "boot";
  }

  @Override
  public Class<BootSamplerConfig> configType() {
    return BootSamplerConfig.class;
  }

  @Override
  public Sampler create(BootSamplerConfig config) {
    return new BootSampler(config);
  }

  @Override
  public String description() {
    return "one-step sampler of a BOOT student: x = g(eps, final_timestep)";
  }
}
