package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln tck} reaches the conformance suite's tool at run time and passes its verdict on. */
class TckCommandTest {

  @TempDir
  Path dir;

  @Test
  void aFolderWithoutProviderModulesIsAUsageError() {
    Cli.Run r = Cli.run("tck", "-p", dir.toString(), "-o", dir.resolve("report").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("kiln-tck: --module-path").contains("no modules there that Kiln does not already hold");
  }
}
