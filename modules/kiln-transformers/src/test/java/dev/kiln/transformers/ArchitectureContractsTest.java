package dev.kiln.transformers;

import dev.kiln.conformance.architectures.ArchitectureContract;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.transformers.model.HyperUVitProvider;
import dev.kiln.transformers.model.HyperUtProvider;
import dev.kiln.transformers.model.TransformerEncoderProvider;
import dev.kiln.transformers.model.UniversalTransformerProvider;
import dev.kiln.transformers.model.VitProvider;
import org.junit.jupiter.api.Nested;

/**
 * Kiln's architecture contract (config JSON round trip, seeded initialisation, gradients against
 * finite differences, export parity, onnx.checker) for every architecture of this module.
 */
class ArchitectureContractsTest {

  @Nested
  class TransformerEncoder implements ArchitectureContract {
    @Override
    public ArchitectureProvider<?> provider() {
      return new TransformerEncoderProvider();
    }
  }

  @Nested
  class UniversalTransformer implements ArchitectureContract {
    @Override
    public ArchitectureProvider<?> provider() {
      return new UniversalTransformerProvider();
    }
  }

  @Nested
  class HyperUt implements ArchitectureContract {
    @Override
    public ArchitectureProvider<?> provider() {
      return new HyperUtProvider();
    }
  }

  @Nested
  class Vit implements ArchitectureContract {
    @Override
    public ArchitectureProvider<?> provider() {
      return new VitProvider();
    }
  }

  @Nested
  class HyperUVit implements ArchitectureContract {
    @Override
    public ArchitectureProvider<?> provider() {
      return new HyperUVitProvider();
    }
  }
}
