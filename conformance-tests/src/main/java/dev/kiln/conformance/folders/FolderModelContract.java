package dev.kiln.conformance.folders;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.FolderModelProvider;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder-model contract for one provider. Implement it in a test class:
 * <pre>{@code
 * class MyFolderModelTest implements FolderModelContract {
 *   public FolderModelProvider provider() { return new MyFolderModels(); }
 * }
 * }</pre>
 * and JUnit checks, on the provider's {@code writeExample} folder and {@code exampleRequests}: that it
 * recognises its example and not an empty folder, answers every request with named, finite outputs, gives
 * the same answer to the same request, the same answers to concurrent requests as to sequential ones,
 * leaves each request unchanged, refuses an unknown field with a {@code ConfigException}, answers the
 * same under a {@code GenerationControl} (running the step calls it announces) and stops once the
 * control says the request is no longer wanted.
 */
public interface FolderModelContract {

  FolderModelProvider provider();

  /** CPU, two threads, basic optimisations. */
  default OrtBackend backend() {
    return new OrtBackend(new BackendOptions(Device.CPU, 2, 1, BackendOptions.Optimization.BASIC, 0));
  }

  @TestFactory
  default Stream<DynamicTest> folderModelContract(@TempDir Path dir) {
    return FolderModelChecks.all(provider(), dir, backend()).entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> e.getValue().run()));
  }
}
