package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The zoo of this checkout: every shipped model has a card and a manifest, and its files match it. */
class ShippedZooTest {

  private static final Path ZOO = Path.of("../../model-zoo").toAbsolutePath().normalize();

  /** The size budget model-zoo/README.md states: 5 MB a folder, 12 MB in all (MB as `kiln zoo list` counts). */
  private static final long FOLDER_BUDGET = 5L * 1024 * 1024;
  private static final long ZOO_BUDGET = 12L * 1024 * 1024;

  @Test
  void everyFolderThatShipsAModelHasACardAndAManifest() throws Exception {
    try (Stream<Path> folders = Files.list(ZOO)) {
      for (Path f : folders.filter(Files::isDirectory).toList()) {
        List<Path> files = ZooManifest.files(f);
        if (files.stream().anyMatch(p -> p.toString().endsWith(".onnx"))) {
          assertThat(f.resolve(ZooCard.FILE)).as("card of %s", f).isRegularFile();
          assertThat(f.resolve(ZooManifest.FILE)).as("manifest of %s", f).isRegularFile();
          assertThat(ZooCard.read(f).metrics()).as("numbers on the card of %s", f).isNotEmpty();
        }
      }
    }
  }

  @Test
  void everyFolderAndTheWholeZooKeepToTheSizeBudget() throws Exception {
    long total = 0;
    try (Stream<Path> folders = Files.list(ZOO)) {
      for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
        long bytes = 0;
        for (Path f : ZooManifest.files(folder)) {
          bytes += Files.size(f);
        }
        assertThat(bytes).as("bytes in %s (budget: 5 MB a folder, model-zoo/README.md)", folder)
            .isLessThanOrEqualTo(FOLDER_BUDGET);
        total += bytes;
      }
    }
    assertThat(total).as("bytes in the whole zoo (budget: 12 MB, model-zoo/README.md)").isLessThanOrEqualTo(ZOO_BUDGET);
  }

  @Test
  void shippedFilesMatchTheirManifests() {
    String out = Cli.ok("zoo", "verify", "--hashes-only", "--zoo", ZOO.toString());
    assertThat(out).contains("0 with mismatches");
  }
}
