package dev.kiln.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.spi.process.ScheduleConfig;
import dev.kiln.train.Recipe;
import dev.kiln.train.SafeTensors;
import dev.kiln.train.TrainerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The readers of files a user hands Kiln, fuzzed. The only acceptable outcomes are a successful read or the
 * documented error type: {@link IOException} for ONNX models and safetensors, {@link ConfigException} for
 * recipes and configs. Anything else (a RuntimeException, an Error, a hang) is a finding. The committed corpus
 * is in src/test/resources/dev/kiln/fuzz/ReaderFuzzTestInputs; the normal build replays it, and
 * {@code scripts/fuzz.sh} fuzzes each target for longer.
 */
class ReaderFuzzTest {

  /** How long {@code scripts/fuzz.sh} (JAZZER_FUZZ=1) fuzzes each target; the normal build replays the corpus. */
  static final String FUZZ_TIME = "3m";

  /** A folder with no files: external-data locations resolve against it and find nothing to read. */
  private static final Path NOWHERE = Path.of("target", "fuzz-nowhere", "model.onnx");

  @FuzzTest(maxDuration = FUZZ_TIME)
  void safetensors(byte[] bytes) {
    try {
      SafeTensors.read(bytes, Path.of("fuzzed.safetensors"));
    } catch (IOException documented) {
      // the reader refused the file, naming it
    }
  }

  @FuzzTest(maxDuration = FUZZ_TIME)
  void onnx(byte[] bytes) {
    try {
      ModelReader.read(bytes, NOWHERE);
    } catch (IOException documented) {
      // the reader refused the file, naming it
    }
  }

  @FuzzTest(maxDuration = FUZZ_TIME)
  void recipe(byte[] bytes) {
    try {
      Recipe r = Recipe.parse(new String(bytes, StandardCharsets.UTF_8), "fuzzed.json");
      r.seed();
      r.name();
      r.trainer();
      r.optimizer();
      r.schedule();
      r.type("task");
      r.type("architecture");
    } catch (ConfigException documented) {
      // the recipe was refused with a message naming it
    }
  }

  @FuzzTest(maxDuration = FUZZ_TIME)
  void config(byte[] bytes) {
    try {
      var node = Configs.parse(new String(bytes, StandardCharsets.UTF_8), "fuzzed.json");
      Configs.read(node, ScheduleConfig.class, "fuzzed.json");
      Configs.read(node, TrainerConfig.class, "fuzzed.json");
    } catch (ConfigException documented) {
      // the config was refused with a message naming it
    }
  }
}
