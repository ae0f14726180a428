package dev.kiln.nerf.render;

import dev.kiln.spi.Renderer;
import dev.kiln.spi.RendererProvider;

/** {@code "volume"}: {@link VolumeRenderer}. */
public final class VolumeRendererProvider implements RendererProvider<VolumeRenderer.Config> {

  @Override
  public String name() {
    return "volume";
  }

  @Override
  public Class<VolumeRenderer.Config> configType() {
    return VolumeRenderer.Config.class;
  }

  @Override
  public Renderer create(VolumeRenderer.Config config) {
    return new VolumeRenderer(config);
  }

  @Override
  public String description() {
    return "emission-absorption volume rendering (NeRF quadrature, exclusive-cumsum transmittance)";
  }
}
