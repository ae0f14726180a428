package dev.kiln.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors and recipe readers treat every file as hostile: thousands of damaged files give the
 * documented error (IOException for safetensors, ConfigException for recipes) and nothing else.
 */
class HostileReadersTest {

  @TempDir
  Path dir;

  private Path validFile() throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("param/w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    t.put("param/b", Tensor.ofLongs(new long[] {7, 8}, 2));
    Path p = dir.resolve("valid.safetensors");
    SafeTensors.write(p, t, Map.of("step", "3", "seed", "1", "recipe", "{}"));
    return p;
  }

  @Test
  void damagedSafetensorsGiveOnlyIoExceptions() throws IOException {
    byte[] valid = Files.readAllBytes(validFile());
    Random rng = new Random(21);
    Path p = dir.resolve("damaged.safetensors");
    for (int i = 0; i < 3000; i++) {
      byte[] b = Mutations.mutate(valid, rng);
      Files.write(p, b);
      try {
        SafeTensors.read(p);
        SafeTensors.readMetadata(p);
      } catch (IOException expected) {
        assertThat(expected.getMessage()).contains(p.toString());
      }
    }
  }

  @Test
  void overlappingAndOutOfRangeTensorsAreRefused() throws IOException {
    Path p = dir.resolve("forged.safetensors");
    Files.write(p, Mutations.safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 16));
    assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageContaining("overlap");
    Files.write(p, Mutations.safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904, 4],"
        + "\"data_offsets\":[0,8]}}", 8));
    assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageContaining("too large");
    Files.write(p, Mutations.safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8));
    assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageContaining("non-negative");
    Files.write(p, Mutations.safetensors("{\"__metadata__\":{\"step\":3}}", 0));
    assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageContaining("string");
  }

  @Test
  void sameTensorsAndMetadataGiveTheSameBytes() throws IOException {
    Map<String, Tensor> t = Map.of("x", Tensor.of(new float[] {1, 2}, 2));
    Map<String, String> a = new LinkedHashMap<>();
    a.put("z", "1");
    a.put("a", "2");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("a", "2");
    b.put("z", "1");
    SafeTensors.write(dir.resolve("a"), t, a);
    SafeTensors.write(dir.resolve("b"), t, b);
    assertThat(dir.resolve("a")).hasSameBinaryContentAs(dir.resolve("b"));
  }

  @Test
  void damagedRecipesGiveOnlyConfigExceptions() throws IOException {
    byte[] valid = """
        {"name": "r", "seed": 3, "task": {"type": "diffusion", "data": "moons"},
         "architecture": {"type": "mlp-denoiser", "hidden": [16, 32]}, "trainer": {"steps": 10}}
        """.getBytes(StandardCharsets.UTF_8);
    Random rng = new Random(7);
    Path p = dir.resolve("recipe.json");
    for (int i = 0; i < 3000; i++) {
      Files.write(p, Mutations.mutate(valid, rng));
      try {
        Recipe r = Recipe.read(p);
        r.seed();
        r.trainer();
        r.optimizer();
        r.schedule();
      } catch (ConfigException | IllegalArgumentException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void aSecondWriterIsRefusedUntilTheFirstLetsGo() throws IOException {
    Path run = dir.resolve("run");
    try (RunFolder first = RunFolder.lock(run)) {
      assertThatThrownBy(() -> RunFolder.lock(run)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("in use by another kiln process (pid " + ProcessHandle.current().pid());
    }
    RunFolder.lock(run).close();
  }

  @Test
  void recipeDifferencesNameEachField() {
    var there = dev.kiln.spi.Configs.parse("{\"seed\": 1, \"trainer\": {\"steps\": 3000}, \"description\": \"a\"}", "a");
    var here = dev.kiln.spi.Configs.parse("{\"seed\": 1.0, \"trainer\": {\"steps\": 1000},"
        + " \"optimizer\": {\"lr\": 0.1}, \"description\": \"b\"}", "b");
    assertThat(RunFolder.differences(there, here)).containsExactly("optimizer.lr is absent there, 0.1 here",
        "trainer.steps is 3000 there, 1000 here");
  }
}
