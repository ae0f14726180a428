package dev.kiln.serve;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import java.nio.file.Path;

/** The model zoo of this checkout, which the tests serve. */
final class Zoo {

  static final Path ROOT = Path.of("../../model-zoo").toAbsolutePath().normalize();

  private Zoo() {}

  static OrtBackend backend() {
    return new OrtBackend(BackendOptions.cpu(0));
  }
}
