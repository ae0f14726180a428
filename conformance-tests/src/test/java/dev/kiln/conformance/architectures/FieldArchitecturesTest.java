package dev.kiln.conformance.architectures;

import dev.kiln.diffusion.fields.PerceiverIo;
import dev.kiln.diffusion.fields.PerceiverIoProvider;
import dev.kiln.spi.ArchitectureProvider;
import org.junit.jupiter.api.Nested;

/**
 * DPF's field denoiser in the configurations its example config (the plane with Fourier features and
 * the query's signal in its token, checked with every provider in {@link KilnArchitecturesTest}) does
 * not reach: the sphere with spherical-harmonic features, and each other place of the query's own
 * signal. The contract's parity check runs two numbers of query and context pairs.
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
      return new PerceiverIo.Config("sphere", 1, "harmonics", null, 2, 8, 3, 2, 1, 1, 4, "tanh", null);
    }
  }

  @Nested
  class WithTheQuerySignalAfterAttention implements ArchitectureContract {
    @Override
    public ArchitectureProvider<?> provider() {
      return new PerceiverIoProvider();
    }

    @Override
    public Object config() {
      return new PerceiverIo.Config("plane", 1, "fourier", 2, null, 8, 3, 2, 1, 1, 4, "tanh", "after_attention");
    }
  }

  @Nested
  class WithTheQuerySignalAtTheOutput implements ArchitectureContract {
    @Override
    public ArchitectureProvider<?> provider() {
      return new PerceiverIoProvider();
    }

    @Override
    public Object config() {
      return new PerceiverIo.Config("plane", 1, "fourier", 2, null, 8, 3, 2, 1, 1, 4, "tanh", "output");
    }
  }
}
