package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "ddpm"}: {@link DdpmSampler}. */
public final class DdpmProvider implements SamplerProvider<DdpmConfig> {

  @Override
  public String name() {
    return "ddpm";
  }

  @Override
  public Class<DdpmConfig> configType() {
    return DdpmConfig.class;
  }

  @Override
  public Sampler create(DdpmConfig config) {
    return new DdpmSampler(config);
  }

  @Override
  public String description() {
    return "DDPM ancestral sampling (diffusers DDPMScheduler, fixed_small variance)";
  }

  @Override
  public java.util.Set<String> diffusersSchedulers() {
    return java.util.Set.of("DDPMScheduler");
  }
}
