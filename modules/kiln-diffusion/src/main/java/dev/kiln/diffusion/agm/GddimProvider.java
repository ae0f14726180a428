package dev.kiln.diffusion.agm;

import dev.kiln.spi.PhaseSpaceSampler;
import dev.kiln.spi.PhaseSpaceSamplerProvider;

/** {@code "agm-gddim"}: {@link GddimSampler}. */
public final class GddimProvider implements PhaseSpaceSamplerProvider<AgmSamplerConfig> {

  @Override
  public String name() {
    return "agm-gddim";
  }

  @Override
  public Class<AgmSamplerConfig> configType() {
    return AgmSamplerConfig.class;
  }

  @Override
  public PhaseSpaceSampler create(AgmSamplerConfig config) {
    return new GddimSampler(config);
  }

  @Override
  public String description() {
    return "AGM multistep exponential integrator (gDDIM, order 0-2) for probability-flow models, with sampling-hop";
  }
}
