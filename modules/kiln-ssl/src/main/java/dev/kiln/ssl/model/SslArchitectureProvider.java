package dev.kiln.ssl.model;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "ssl-resnet"}: {@link SslArchitecture}. */
public final class SslArchitectureProvider implements ArchitectureProvider<SslArchitecture.Config> {

  @Override
  public String name() {
    return "ssl-resnet";
  }

  @Override
  public Class<SslArchitecture.Config> configType() {
    return SslArchitecture.Config.class;
  }

  @Override
  public Architecture create(SslArchitecture.Config config) {
    return new SslArchitecture(config);
  }

  @Override
  public String description() {
    return "small ResNet encoder of self-supervised pre-training: x [N,C,H,W] -> features [N,F]";
  }
}
