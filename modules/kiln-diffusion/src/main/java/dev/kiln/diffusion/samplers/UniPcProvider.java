package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "unipc"}: {@link UniPcSampler}. */
public final class UniPcProvider implements SamplerProvider<UniPcConfig> {

  @Override
  public String name() {
    return "unipc";
  }

  @Override
  public Class<UniPcConfig> configType() {
    return UniPcConfig.class;
  }

  @Override
  public Sampler create(UniPcConfig config) {
    return new UniPcSampler(config);
  }

  @Override
  public String description() {
    return "UniPC predictor-corrector, bh2 (diffusers UniPCMultistepScheduler)";
  }

  @Override
  public java.util.Set<String> diffusersSchedulers() {
    return java.util.Set.of("UniPCMultistepScheduler");
  }
}
