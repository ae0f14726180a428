package dev.kiln.cli;

import dev.kiln.spi.ConfigException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How {@code kiln zoo publish} replaces a model folder whole: all the files one publish writes (the
 * exported model and its serving files, {@code card.json}, the README's measured block, {@code SHA256SUMS})
 * appear together or not at all, even when the process is killed with SIGKILL at any instant.
 *
 * <p>For the model {@code NAME} in the zoo root {@code Z}:
 *
 * <ol>
 *   <li><b>Stage.</b> {@link #stage} creates {@code Z/.NAME.publish-<random>/} and copies {@code Z/NAME}
 *       into it as {@code Z/.NAME.publish-<random>/NAME} (the inner folder keeps the model's name, which
 *       {@code card.json} must match). The publish exports, measures and writes into that copy only; a
 *       failure or a kill leaves {@code Z/NAME} untouched.
 *   <li><b>Seal.</b> {@link #commit} forces every staged file to disk and renames the staging folder to
 *       {@code Z/.NAME.publish-ready}: one atomic rename, after which the new contents are complete and the
 *       swap is bound to finish.
 *   <li><b>Swap.</b> Rename {@code Z/NAME} to {@code Z/.NAME.old}, then {@code Z/.NAME.publish-ready/NAME}
 *       to {@code Z/NAME}, then delete {@code Z/.NAME.old} and the empty {@code Z/.NAME.publish-ready}.
 * </ol>
 *
 * <p>A reader of {@code Z/NAME} sees the complete old folder or the complete new one; between the two
 * renames of the swap {@code Z/NAME} is missing for an instant. {@link #recover} runs at the start of every
 * {@code kiln zoo} command (through {@link ZooOptions#root}) and finishes what a kill interrupted, the same
 * way each time: a sealed {@code .NAME.publish-ready} is always rolled forward (the remaining renames of the
 * swap), a leftover {@code .NAME.old} is deleted once {@code NAME} is in place. Unsealed staging folders
 * ({@code .NAME.publish-<random>}) are never read; the next publish of {@code NAME} deletes them. Every zoo
 * command skips folders whose names start with a dot, so none of these ever counts as a model.
 *
 * <p><b>Fault injection.</b> The system property {@value #PAUSE_PROPERTY} (milliseconds, default 0: off), read
 * by this class alone, makes {@link #commit} sleep that long right after the seal and again between the two
 * renames of the swap, so a crash test ({@code scripts/kill-loop-zoo.sh}) can kill a publish inside the window
 * where only {@link #recover} can finish it. Nothing else reads it; a run without it never pauses.
 */
final class ZooSwap {

  static final String STAGING = ".publish-";
  static final String READY = ".publish-ready";
  static final String OLD = ".old";
  /** Milliseconds {@link #commit} pauses after the seal and between the swap's renames (fault injection). */
  static final String PAUSE_PROPERTY = "kiln.zoo.swap-pause-ms";
  /** The longest pause {@value #PAUSE_PROPERTY} may ask for. */
  static final long MAX_PAUSE_MS = 60_000;

  private ZooSwap() {}

  /** A fresh staging copy of {@code folder}: {@code Z/.NAME.publish-<random>/NAME}. */
  static Path stage(Path folder) throws IOException {
    Path root = folder.toAbsolutePath().normalize().getParent();
    String name = folder.toAbsolutePath().normalize().getFileName().toString();
    removeStale(root, name);
    Path staging = Files.createTempDirectory(root, "." + name + STAGING);
    Path staged = staging.resolve(name);
    copyTree(folder, staged);
    return staged;
  }

  /** Seals {@code staged} (from {@link #stage}) and swaps it in for {@code folder}. */
  static void commit(Path staged, Path folder) throws IOException {
    Path root = folder.toAbsolutePath().normalize().getParent();
    String name = folder.toAbsolutePath().normalize().getFileName().toString();
    forceTree(staged);
    forceDir(staged.getParent());
    Path ready = root.resolve("." + name + READY);
    if (Files.exists(ready)) {
      throw new IOException(ready + " exists: another publish of " + name + " is swapping; try again");
    }
    long pause = pauseMillis();
    rename(staged.getParent(), ready);
    forceDir(root);
    pause(pause);
    finish(root, name, pause);
  }

  /** The fault-injection pause asked for by {@value #PAUSE_PROPERTY}, in milliseconds (0: none). */
  static long pauseMillis() {
    String value = System.getProperty(PAUSE_PROPERTY);
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      long ms = Long.parseLong(value.trim());
      if (ms >= 0 && ms <= MAX_PAUSE_MS) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException("system property " + PAUSE_PROPERTY + " must be a whole number of "
        + "milliseconds in 0.." + MAX_PAUSE_MS + ", got `" + value + "`");
  }

  private static void pause(long ms) throws IOException {
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted inside the swap of a publish");
      }
    }
  }

  /** Deletes a staging folder that was never sealed (the publish failed). */
  static void abandon(Path staged) throws IOException {
    deleteTree(staged.getParent());
  }

  /** Finishes every swap a kill interrupted in {@code root}; see the class comment. */
  static void recover(Path root) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().forEach(n -> {
        if (n.endsWith(READY) && n.length() > 1 + READY.length()) {
          names.add(n.substring(1, n.length() - READY.length()));
        } else if (n.endsWith(OLD) && n.length() > 1 + OLD.length()) {
          names.add(n.substring(1, n.length() - OLD.length()));
        }
      });
    }
    for (String name : names.stream().distinct().toList()) {
      finish(root, name, 0);
    }
  }

  /** The swap's renames and deletions from wherever they stopped ({@code pause} ms between the renames). */
  private static void finish(Path root, String name, long pause) throws IOException {
    Path folder = root.resolve(name);
    Path ready = root.resolve("." + name + READY);
    Path staged = ready.resolve(name);
    Path old = root.resolve("." + name + OLD);
    if (Files.isDirectory(staged)) {
      if (Files.exists(folder)) {
        if (Files.exists(old)) {
          throw new ConfigException(root + ": " + folder.getFileName() + ", " + old.getFileName() + " and "
              + ready.getFileName() + " all exist, which no interrupted publish leaves; remove the ones to drop");
        }
        rename(folder, old);
        pause(pause);
      }
      rename(staged, folder);
      forceDir(root);
    }
    if (Files.exists(folder)) {
      deleteTree(old);
      deleteTree(ready);
    }
  }

  /** Deletes unsealed staging folders of {@code name} left by earlier publishes. */
  private static void removeStale(Path root, String name) throws IOException {
    String prefix = "." + name + STAGING;
    List<Path> stale;
    try (Stream<Path> s = Files.list(root)) {
      stale = s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(prefix) && !n.equals("." + name + READY);
      }).toList();
    }
    for (Path p : stale) {
      deleteTree(p);
    }
  }

  private static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Path target = to.resolve(from.relativize(dir).toString());
        Files.createDirectories(target);
        try {
          Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(dir));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: keep its defaults
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void forceTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        if (Files.isRegularFile(p)) {
          try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            c.force(true);
          }
        } else if (Files.isDirectory(p)) {
          forceDir(p);
        }
      }
    }
  }

  /** Forces a folder's entries to disk where the platform allows it (Linux does; Windows cannot open one). */
  private static void forceDir(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // best effort: the renames themselves are atomic either way
    }
  }
}
