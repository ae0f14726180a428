package dev.kiln.conformance.architectures;

import dev.kiln.diffusion.fields.PerceiverIo;
import dev.kiln.diffusion.fields.PerceiverIoProvider;
import dev.kiln.spi.ArchitectureProvider;
import org.junit.jupiter.api.Nested;

/**
 * DPF's field denoiser on the sphere with spherical-harmonic features, which its example config (the
 * plane with Fourier features, checked with every provider in {@link KilnArchitecturesTest}) does not
 * reach. The contract's parity check runs two numbers of query and context pairs.
 */
class FieldArchitecturesTest {

  @Nested
  class OnTheSphereWithHarmonics implements ArchitectureContract {
    @Override
    public ArchitectureProvider<?> provider() {
      return new PerceiverIoProvider();
    }

    @Override
    public Object config() {
      return new PerceiverIo.Config("sphere", 1, "harmonics", null, 2, 8, 3, 2, 1, 1, 4, "tanh");
    }
  }
}
