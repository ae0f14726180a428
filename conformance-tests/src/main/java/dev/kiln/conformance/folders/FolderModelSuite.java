package dev.kiln.conformance.folders;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.Providers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;

/** The folder-model contract for every {@link FolderModelProvider} on the module path. */
public final class FolderModelSuite {

  private FolderModelSuite() {}

  /** Every folder-model provider found by {@link java.util.ServiceLoader}, by name. */
  public static Map<String, FolderModelProvider> providers() {
    return Providers.load(FolderModelProvider.class);
  }

  /** One container per provider, one test per check; examples are written under {@code dir}. */
  public static Stream<DynamicContainer> forAllProviders(Path dir) {
    OrtBackend backend = new OrtBackend(new BackendOptions(Device.CPU, 2, 1, BackendOptions.Optimization.BASIC, 0));
    List<FolderModelProvider> found = List.copyOf(providers().values());
    return found.stream().map(p -> {
      Path own;
      try {
        own = Files.createDirectories(dir.resolve(p.name()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return DynamicContainer.dynamicContainer(p.name() + " (" + p.getClass().getName() + ")",
          FolderModelChecks.all(p, own, backend).entrySet().stream()
              .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> e.getValue().run())));
    });
  }
}
