package dev.kiln.diffusion.arch;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "mlp-denoiser"}: {@link MlpDenoiser}. */
public final class MlpDenoiserProvider implements ArchitectureProvider<MlpDenoiser.Config> {

  @Override
  public String name() {
    return "mlp-denoiser";
  }

  @Override
  public Class<MlpDenoiser.Config> configType() {
    return MlpDenoiser.Config.class;
  }

  @Override
  public Architecture create(MlpDenoiser.Config config) {
    return new MlpDenoiser(config);
  }

  @Override
  public String description() {
    return "MLP denoiser for low-dimensional data: x [N,d], t [N] -> out [N,d]";
  }
}
