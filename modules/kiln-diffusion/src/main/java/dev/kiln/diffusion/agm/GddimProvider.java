package dev.kiln.diffusion.agm;

import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "agm-gddim"}: {@link GddimSampler}. */
public final class GddimProvider implements SamplerProvider<AgmSamplerConfig> {

  @Override
  public String name() {
    return "agm-gddim";
  }

  @Override
  public Class<AgmSamplerConfig> configType() {
    return AgmSamplerConfig.class;
  }

  @Override
  public Sampler create(AgmSamplerConfig config) {
    return new GddimSampler(config);
  }

  @Override
  public String description() {
    return "AGM multistep exponential integrator (gDDIM, order 0-2) for probability-flow models, with sampling-hop";
  }
}
