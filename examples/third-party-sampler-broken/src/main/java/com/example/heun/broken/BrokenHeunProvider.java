package com.example.heun.broken;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "heun"}: {@link BrokenHeunSampler}. */
public final class BrokenHeunProvider implements SamplerProvider<BrokenHeunConfig> {

  @Override
  public String name() {
    return "heun-broken";
  }

  @Override
  public Class<BrokenHeunConfig> configType() {
    return BrokenHeunConfig.class;
  }

  @Override
  public Sampler create(BrokenHeunConfig config) {
    return new BrokenHeunSampler(config);
  }

  @Override
  public String description() {
    return "Heun's second-order ODE sampler (deliberately broken example)";
  }
}
