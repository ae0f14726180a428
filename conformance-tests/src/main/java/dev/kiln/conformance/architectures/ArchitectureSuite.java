package dev.kiln.conformance.architectures;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.Providers;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;

/** The architecture contract for every {@link ArchitectureProvider} on the module path. */
public final class ArchitectureSuite {

  private ArchitectureSuite() {}

  /** One container per provider, one test per check. */
  public static Stream<DynamicContainer> forAllProviders() {
    OrtBackend backend = new OrtBackend(new BackendOptions(Device.CPU, 2, 1, BackendOptions.Optimization.BASIC, 0));
    Map<String, ArchitectureProvider<?>> found = Providers.load(ArchitectureProvider.class);
    List<ArchitectureProvider<?>> providers = List.copyOf(found.values());
    return providers.stream().map(p -> {
      Object cfg = p.exampleConfig();
      return DynamicContainer.dynamicContainer(p.name() + " (" + p.getClass().getName() + ")", Stream.of(
          DynamicTest.dynamicTest("config round-trips through JSON",
              () -> ArchitectureChecks.configRoundTripsThroughJson(p, cfg)),
          DynamicTest.dynamicTest("initialisation is deterministic under a seed",
              () -> ArchitectureChecks.initialisationIsDeterministic(p, cfg)),
          DynamicTest.dynamicTest("gradients match finite differences",
              () -> ArchitectureChecks.gradientsMatchFiniteDifferences(p, cfg, backend)),
          DynamicTest.dynamicTest("exported model matches the training graph",
              () -> ArchitectureChecks.exportMatchesTrainingGraph(p, cfg, backend)),
          DynamicTest.dynamicTest("exported model passes the onnx checker",
              () -> ArchitectureChecks.exportPassesOnnxChecker(p, cfg, backend))));
    });
  }
}
