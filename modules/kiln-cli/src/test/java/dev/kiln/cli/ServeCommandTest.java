package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.serve.ModelRepository;
import dev.kiln.serve.ServedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln serve}'s user mistakes end with a message and the usage exit code, before anything listens;
 * and with every method module on the module path, the shipped zoo is served whole.
 */
class ServeCommandTest {

  @Test
  void everyShippedZooModelIsServedByItsOwnName() throws Exception {
    Path zoo = Path.of("../../model-zoo").toAbsolutePath().normalize();
    List<String> shipped;
    try (Stream<Path> folders = Files.list(zoo)) {
      shipped = folders.filter(f -> Files.isRegularFile(f.resolve(ZooCard.FILE)))
          .map(f -> f.getFileName().toString()).sorted().toList();
    }
    try (ModelRepository repo = ModelRepository.open(zoo, new OrtBackend(BackendOptions.cpu(1)))) {
      List<String> served = repo.models().stream().map(ServedModel::name).sorted().toList();
      assertThat(served).isEqualTo(shipped);
      assertThat(repo.get("planner-sotu").metadata()).containsEntry("kind", "text");
      assertThat(repo.get("ssdnerf").metadata()).containsEntry("kind", "ssdnerf");
      assertThat(repo.get("control3diff-toycar").metadata()).containsEntry("kind", "control3diff");
      assertThat(repo.get("nerfdiff-toycar-chair").metadata()).containsEntry("kind", "nerfdiff");
    }
  }

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
