package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "euler"}: {@link EulerSampler}. */
public final class EulerProvider implements SamplerProvider<EulerConfig> {

  @Override
  public String name() {
    return "euler";
  }

  @Override
  public Class<EulerConfig> configType() {
    return EulerConfig.class;
  }

  @Override
  public Sampler create(EulerConfig config) {
    return new EulerSampler(config);
  }

  @Override
  public String description() {
    return "Euler on the probability-flow ODE, optional Karras sigmas and churn (diffusers EulerDiscreteScheduler)";
  }

  @Override
  public java.util.Set<String> diffusersSchedulers() {
    return java.util.Set.of("EulerDiscreteScheduler");
  }
}
