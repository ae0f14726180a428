package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The swap of {@code kiln zoo publish} with its fault-injection pause, which must not change what it does. */
class ZooSwapTest {

  @TempDir
  Path zoo;

  @AfterEach
  void clearProperty() {
    System.clearProperty(ZooSwap.PAUSE_PROPERTY);
  }

  private Path modelFolder(String readme) throws Exception {
    Path folder = zoo.resolve("tiny");
    Files.createDirectories(folder.resolve("serving"));
    Files.writeString(folder.resolve("README.md"), readme);
    Files.writeString(folder.resolve("serving/config.pbtxt"), "name: \"tiny\"");
    return folder;
  }

  private String[] zooEntries() throws Exception {
    try (Stream<Path> s = Files.list(zoo)) {
      return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void withoutThePropertyTheSwapDoesNotPause() {
    assertThat(ZooSwap.pauseMillis()).isZero();
    System.setProperty(ZooSwap.PAUSE_PROPERTY, "250");
    assertThat(ZooSwap.pauseMillis()).isEqualTo(250);
  }

  @Test
  void aSwapWithThePauseReplacesTheFolderWholeAndLeavesNothingBehind() throws Exception {
    Path folder = modelFolder("old");
    System.setProperty(ZooSwap.PAUSE_PROPERTY, "1");
    Path staged = ZooSwap.stage(folder);
    Files.writeString(staged.resolve("README.md"), "new");
    ZooSwap.commit(staged, folder);
    assertThat(Files.readString(folder.resolve("README.md"))).isEqualTo("new");
    assertThat(Files.readString(folder.resolve("serving/config.pbtxt"))).isEqualTo("name: \"tiny\"");
    assertThat(zooEntries()).containsExactly("tiny");
  }

  @Test
  void aBadPauseIsRefusedNamingThePropertyAndValueBeforeTheSeal() throws Exception {
    Path folder = modelFolder("old");
    for (String bad : new String[] {"-1", "soon", "1.5", "60001"}) {
      System.setProperty(ZooSwap.PAUSE_PROPERTY, bad);
      Path staged = ZooSwap.stage(folder);
      Files.writeString(staged.resolve("README.md"), "new");
      assertThatThrownBy(() -> ZooSwap.commit(staged, folder)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(ZooSwap.PAUSE_PROPERTY).hasMessageContaining("`" + bad + "`");
      ZooSwap.abandon(staged);
      assertThat(Files.readString(folder.resolve("README.md"))).isEqualTo("old");
      assertThat(zooEntries()).containsExactly("tiny");
    }
  }
}
