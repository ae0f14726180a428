package dev.kiln.diffusion.agm;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "agm-em"}: {@link EulerMaruyamaSampler}. */
public final class EulerMaruyamaProvider implements SamplerProvider<AgmSamplerConfig> {

  @Override
  public String name() {
    return "agm-em";
  }

  @Override
  public Class<AgmSamplerConfig> configType() {
    return AgmSamplerConfig.class;
  }

  @Override
  public Sampler create(AgmSamplerConfig config) {
    return new EulerMaruyamaSampler(config);
  }

  @Override
  public String description() {
    return "AGM Euler-Maruyama (SDE model) or Euler (probability-flow model), with early prediction of x1";
  }
}
