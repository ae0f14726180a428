package dev.kiln.ssl.model;

import dev.kiln.conformance.architectures.ArchitectureChecks;
import dev.kiln.conformance.architectures.ArchitectureContract;
import dev.kiln.spi.ArchitectureProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kiln's architecture contract (config JSON round trip, seeded initialisation, gradients against finite
 * differences, export parity, onnx.checker) for {@code ssl-resnet}, on a two-stage encoder of 8-pixel pictures.
 * The gradient check runs with SiLU, as {@link NetworkGradientTest} does: float32 differences cross ReLU's
 * kinks through the normalisations (ReLU's own rule is checked by the conformance suite).
 */
class SslArchitectureContractTest implements ArchitectureContract {

  @Override
  public ArchitectureProvider<?> provider() {
    return new SslArchitectureProvider();
  }

  @Override
  public Object config() {
    return new SslArchitecture.Config(3, 8, List.of(4L, 8L), null);
  }

  @Override
  @Test
  public void gradientsMatchFiniteDifferences() {
    ArchitectureChecks.gradientsMatchFiniteDifferences(provider(), new SslArchitecture.Config(3, 8, List.of(4L, 8L),
        "silu"), backend());
  }
}
