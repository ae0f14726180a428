package dev.kiln.diffusion.agm;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "agm-mlp"}: {@link AgmMlp}. */
public final class AgmMlpProvider implements ArchitectureProvider<AgmMlp.Config> {

  @Override
  public String name() {
    return "agm-mlp";
  }

  @Override
  public Class<AgmMlp.Config> configType() {
    return AgmMlp.Config.class;
  }

  @Override
  public Architecture create(AgmMlp.Config config) {
    return new AgmMlp(config);
  }

  /** Small enough for finite-difference checks. */
  @Override
  public AgmMlp.Config exampleConfig() {
    return new AgmMlp.Config(java.util.List.of(2), 16, 2, 8, null, true);
  }

  @Override
  public String description() {
    return "AGM network on flattened (x, v) with flipped time and (1-t) output scaling: x, v [N,...], t [N] -> out";
  }
}
