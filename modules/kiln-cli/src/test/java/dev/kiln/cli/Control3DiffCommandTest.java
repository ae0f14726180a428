package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln control3diff} reaches the NeRF module's tool and reports bad input as exit code 2. */
class Control3DiffCommandTest {

  @TempDir
  Path dir;

  @Test
  void folderWithoutAModelIsNamedWithExitCodeTwo() throws Exception {
    Path picture = Files.writeString(dir.resolve("pic.png"), "not used");
    Cli.Run r = Cli.run("control3diff", "--model", dir.toString(), "--control", "edges", "--input",
        picture.toString(), "-o", dir.resolve("out").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("gan.safetensors").doesNotContain("Exception");
  }

  @Test
  void unknownControlIsNamedWithTheChoices() {
    Cli.Run r = Cli.run("control3diff", "--model", dir.toString(), "--control", "sketchy", "--input", "x.png");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("`sketchy`").contains("image, edges or segmentation");
  }
}
