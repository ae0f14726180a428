package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln serve}'s user mistakes end with a message and the usage exit code, before anything listens. */
class ServeCommandTest {

  @TempDir
  Path dir;

  @Test
  void aMissingFolderIsAUsageError() {
    Cli.Run r = Cli.run("serve", dir.resolve("nope").toString());
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("nope: not a folder of models");
  }

  @Test
  void aFileThatIsNotAModelIsNamed() throws Exception {
    Files.writeString(dir.resolve("broken.onnx"), "not a model");
    Cli.Run r = Cli.run("serve", dir.toString(), "--port", "0");
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("broken.onnx: cannot serve it");
  }

  @Test
  void anUnsetTokenVariableIsAUsageError() {
    Cli.Run r = Cli.run("serve", dir.toString(), "--token-env", "KILN_TEST_NO_SUCH_VARIABLE");
    assertThat(r.code()).isEqualTo(KilnCommand.USAGE_ERROR);
    assertThat(r.err()).contains("KILN_TEST_NO_SUCH_VARIABLE is not set");
  }
}
