package dev.kiln.graph.onnx;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Moves a finished temporary file over its destination, atomically where the file system allows. */
public final class AtomicFiles {

  private AtomicFiles() {}

  /**
   * A temporary file beside {@code target}, readable like a normal file (temporary files start
   * owner-only).
   */
  public static Path temporaryBeside(Path target, String suffix) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".kiln-", suffix);
    try {
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
    return tmp;
  }

  /** Moves {@code tmp} to {@code target}, replacing it. */
  public static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes {@code bytes} to a temporary file beside {@code target}, then moves it into place. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = temporaryBeside(target, ".tmp");
    try {
      Files.write(tmp, bytes);
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
