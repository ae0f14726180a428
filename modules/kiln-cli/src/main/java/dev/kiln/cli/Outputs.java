package dev.kiln.cli;

import dev.kiln.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Output paths checked before the work that fills them starts, so a long run never ends in "cannot write". */
final class Outputs {

  private Outputs() {}

  /**
   * Checks that {@code file} (given as {@code option}, e.g. {@code -o}) names a file Kiln can create or
   * replace: not a folder, and inside a folder (existing or to be created) where this process can create
   * files. Creates nothing it keeps. {@code fileName} is the example a folder is answered with.
   */
  static void requireWritableFile(Path file, String option, String fileName) {
    if (Files.isDirectory(file)) {
      throw new ConfigException(option + " " + file + " is a folder; name a file, such as " + file.resolve(fileName));
    }
    requireWritableFolder(file.toAbsolutePath().getParent(), option + " " + file);
  }

  /** Checks that files can be created in {@code dir} (created later if absent); {@code what} names it. */
  static void requireWritableFolder(Path dir, String what) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new ConfigException(what + ": " + existing + " is a file, so nothing can be written inside it;"
          + " choose another place");
    }
    try {
      Files.delete(Files.createTempFile(existing, ".kiln-check-", ".tmp"));
    } catch (IOException | UnsupportedOperationException e) {
      throw new ConfigException(what + ": cannot create files in " + existing + "; choose a place you can write to",
          e);
    }
  }
}
