package dev.kiln.conformance.architectures;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ArchitectureProvider;
import org.junit.jupiter.api.Test;

/**
 * The architecture contract for one provider. Implement it in a test class:
 * <pre>{@code
 * class MyArchitectureTest implements ArchitectureContract {
 *   public ArchitectureProvider<?> provider() { return new MyArchitectureProvider(); }
 * }
 * }</pre>
 * and JUnit checks the config's JSON round trip, seeded initialisation, gradients against finite
 * differences, export parity with the training graph, and {@code onnx.checker} on the export.
 */
public interface ArchitectureContract {

  ArchitectureProvider<?> provider();

  /** The config under test: the provider's {@code exampleConfig()} unless overridden. */
  default Object config() {
    return provider().exampleConfig();
  }

  /** CPU, two threads, basic optimisations (so float64 checks load). */
  default OrtBackend backend() {
    return new OrtBackend(new BackendOptions(Device.CPU, 2, 1, BackendOptions.Optimization.BASIC, 0));
  }

  @Test
  default void configRoundTripsThroughJson() {
    ArchitectureChecks.configRoundTripsThroughJson(provider(), config());
  }

  @Test
  default void initialisationIsDeterministicUnderASeed() {
    ArchitectureChecks.initialisationIsDeterministic(provider(), config());
  }

  @Test
  default void gradientsMatchFiniteDifferences() {
    ArchitectureChecks.gradientsMatchFiniteDifferences(provider(), config(), backend());
  }

  @Test
  default void exportedModelMatchesTheTrainingGraph() throws Exception {
    ArchitectureChecks.exportMatchesTrainingGraph(provider(), config(), backend());
  }

  @Test
  default void exportedModelPassesTheOnnxChecker() throws Exception {
    ArchitectureChecks.exportPassesOnnxChecker(provider(), config(), backend());
  }
}
