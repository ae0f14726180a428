package dev.kiln.diffusion.agm;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "flat-mlp-denoiser"}: {@link FlatMlpDenoiser}. */
public final class FlatMlpDenoiserProvider implements ArchitectureProvider<FlatMlpDenoiser.Config> {

  @Override
  public String name() {
    return "flat-mlp-denoiser";
  }

  @Override
  public Class<FlatMlpDenoiser.Config> configType() {
    return FlatMlpDenoiser.Config.class;
  }

  @Override
  public Architecture create(FlatMlpDenoiser.Config config) {
    return new FlatMlpDenoiser(config);
  }

  /** Small enough for finite-difference checks. */
  @Override
  public FlatMlpDenoiser.Config exampleConfig() {
    return new FlatMlpDenoiser.Config(java.util.List.of(1, 3, 3), 16, 2, 8, true);
  }

  @Override
  public String description() {
    return "MLP denoiser on flattened samples of any shape (digits or points): x [N,...], t [N] -> out";
  }
}
