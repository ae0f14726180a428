package dev.kiln.diffusion.agm;

import dev.kiln.spi.PhaseSpaceSampler;
import dev.kiln.spi.PhaseSpaceSamplerProvider;

/** {@code "agm-em"}: {@link EulerMaruyamaSampler}. */
public final class EulerMaruyamaProvider implements PhaseSpaceSamplerProvider<AgmSamplerConfig> {

  @Override
  public String name() {
    return "agm-em";
  }

  @Override
  public Class<AgmSamplerConfig> configType() {
    return AgmSamplerConfig.class;
  }

  @Override
  public PhaseSpaceSampler create(AgmSamplerConfig config) {
    return new EulerMaruyamaSampler(config);
  }

  @Override
  public String description() {
    return "AGM Euler-Maruyama (SDE model) or Euler (probability-flow model), with early prediction of x1";
  }
}
