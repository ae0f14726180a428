package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "euler-ancestral"}: {@link EulerAncestralSampler}. */
public final class EulerAncestralProvider implements SamplerProvider<EulerAncestralConfig> {

  @Override
  public String name() {
    return "euler-ancestral";
  }

  @Override
  public Class<EulerAncestralConfig> configType() {
    return EulerAncestralConfig.class;
  }

  @Override
  public Sampler create(EulerAncestralConfig config) {
    return new EulerAncestralSampler(config);
  }

  @Override
  public String description() {
    return "Euler ancestral, 'Euler a' (diffusers EulerAncestralDiscreteScheduler)";
  }

  @Override
  public java.util.Set<String> diffusersSchedulers() {
    return java.util.Set.of("EulerAncestralDiscreteScheduler");
  }
}
