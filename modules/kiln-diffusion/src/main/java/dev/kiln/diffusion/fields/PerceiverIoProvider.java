package dev.kiln.diffusion.fields;

import dev.kiln.spi.Architecture;
import dev.kiln.spi.ArchitectureProvider;

/** {@code "perceiver-io"}: {@link PerceiverIo}, DPF's field denoiser. */
public final class PerceiverIoProvider implements ArchitectureProvider<PerceiverIo.Config> {

  @Override
  public String name() {
    return "perceiver-io";
  }

  @Override
  public Class<PerceiverIo.Config> configType() {
    return PerceiverIo.Config.class;
  }

  @Override
  public Architecture create(PerceiverIo.Config config) {
    return new PerceiverIo(config);
  }

  /** A plane field of width 8, 3 latents, one latent block, tanh (float64 kernels): small for finite differences. */
  @Override
  public PerceiverIo.Config exampleConfig() {
    return new PerceiverIo.Config("plane", 1, "fourier", 2, null, 8, 3, 2, 1, 1, 4, "tanh", null);
  }

  @Override
  public String description() {
    return "DPF field denoiser (PerceiverIO over coordinate/signal pairs): x [N,P,C], coords [N,P,D], t [N],"
        + " context [N,K,C], context_coords [N,K,D] -> out [N,P,C]";
  }
}
