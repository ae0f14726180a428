package dev.kiln.diffusion.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Keeps a copy of each exported model under target/onnx-models, for scripts/check-onnx.py. */
final class TestModels {
  private TestModels() {}

  static void dump(String name, Path model) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "onnx-models"));
    Files.copy(model, dir.resolve(name + ".onnx"), StandardCopyOption.REPLACE_EXISTING);
  }
}
