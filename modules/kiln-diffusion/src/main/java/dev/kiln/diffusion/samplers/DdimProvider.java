package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "ddim"}: {@link DdimSampler}. */
public final class DdimProvider implements SamplerProvider<DdimConfig> {

  @Override
  public String name() {
    return "ddim";
  }

  @Override
  public Class<DdimConfig> configType() {
    return DdimConfig.class;
  }

  @Override
  public Sampler create(DdimConfig config) {
    return new DdimSampler(config);
  }

  @Override
  public String description() {
    return "DDIM with eta (diffusers DDIMScheduler)";
  }

  @Override
  public java.util.Set<String> diffusersSchedulers() {
    return java.util.Set.of("DDIMScheduler");
  }
}
