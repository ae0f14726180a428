package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.DeType;
import dev.kiln.spi.process.AgmProcess;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;

/** {@code "agm-sscs"}: {@link SscsSampler}. */
public final class SscsProvider implements SamplerProvider<AgmSamplerConfig> {

  @Override
  public String name() {
    return "agm-sscs";
  }

  @Override
  public Class<AgmSamplerConfig> configType() {
    return AgmSamplerConfig.class;
  }

  @Override
  public Sampler create(AgmSamplerConfig config) {
    return new SscsSampler(config);
  }

  /** The defaults with an SDE process, the only kind SSCS samples. */
  @Override
  public AgmSamplerConfig exampleConfig() {
    return AgmSamplerConfig.of(AgmProcess.defaults().withDeType(DeType.SDE));
  }

  @Override
  public String description() {
    return "AGM symmetric splitting (SSCS) for SDE models, with early prediction of x1";
  }
}
