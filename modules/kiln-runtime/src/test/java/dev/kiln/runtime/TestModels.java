package dev.kiln.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.kiln.graph.onnx.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Keeps a copy of each model a test builds under target/onnx-models, for onnx.checker. */
final class TestModels {
  private TestModels() {}

  static void dump(String name, ModelProto model) {
    try {
      AtomicFiles.write(Path.of("target", "onnx-models", name + ".onnx"), model.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
