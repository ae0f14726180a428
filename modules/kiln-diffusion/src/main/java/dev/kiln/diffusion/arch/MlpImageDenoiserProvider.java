package dev.kiln.diffusion.arch;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "mlp-image-denoiser"}: {@link MlpImageDenoiser}. */
public final class MlpImageDenoiserProvider implements ArchitectureProvider<MlpImageDenoiser.Config> {

  @Override
  public String name() {
    return "mlp-image-denoiser";
  }

  @Override
  public Class<MlpImageDenoiser.Config> configType() {
    return MlpImageDenoiser.Config.class;
  }

  @Override
  public Architecture create(MlpImageDenoiser.Config config) {
    return new MlpImageDenoiser(config);
  }

  /** 4×4 images, one hidden layer of 8, 3 classes: small enough for finite-difference checks. */
  @Override
  public MlpImageDenoiser.Config exampleConfig() {
    return new MlpImageDenoiser.Config(1, 4, 8, 1, 4, 3, 3);
  }

  @Override
  public String description() {
    return "MLP denoiser over flattened small images, optional class conditioning: x [N,C,S,S], t [N] -> out";
  }
}
