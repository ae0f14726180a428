package com.example.heun;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "heun"}: {@link HeunSampler}. */
public final class HeunProvider implements SamplerProvider<HeunConfig> {

  @Override
  public String name() {
    return "heun";
  }

  @Override
  public Class<HeunConfig> configType() {
    return HeunConfig.class;
  }

  @Override
  public Sampler create(HeunConfig config) {
    return new HeunSampler(config);
  }

  @Override
  public String description() {
    return "Heun's second-order ODE sampler (example third-party provider)";
  }
}
