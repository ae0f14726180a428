package dev.kiln.diffusion.arch;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "unet"}: {@link UNet}. */
public final class UNetProvider implements ArchitectureProvider<UNet.Config> {

  @Override
  public String name() {
    return "unet";
  }

  @Override
  public Class<UNet.Config> configType() {
    return UNet.Config.class;
  }

  @Override
  public Architecture create(UNet.Config config) {
    return new UNet(config);
  }

  /** 8×8 images, two levels, 8 base channels, 3 classes: small enough for finite-difference checks. */
  @Override
  public UNet.Config exampleConfig() {
    return new UNet.Config(1, 8, 8, java.util.List.of(1, 2), 4, 3);
  }

  @Override
  public String description() {
    return "small UNet for square images with optional class conditioning: x [N,C,S,S], t [N] -> out";
  }
}
