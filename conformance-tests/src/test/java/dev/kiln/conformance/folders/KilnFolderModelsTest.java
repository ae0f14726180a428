package dev.kiln.conformance.folders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every folder-model provider on the module path (Kiln's text folders here) against the contract. */
class KilnFolderModelsTest {

  @Test
  void kilnsTextFoldersAreFound() {
    assertThat(FolderModelSuite.providers()).containsKey("text");
  }

  @TestFactory
  Stream<DynamicContainer> everyFolderModelConforms(@TempDir Path dir) {
    return FolderModelSuite.forAllProviders(dir);
  }
}
