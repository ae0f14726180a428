package dev.kiln.cli;

import dev.kiln.graph.GraphException;
import dev.kiln.spi.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.FindException;
import java.lang.module.ResolutionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The one place a failure becomes an exit code. What a user can cause (a bad file or value, an
 * unwritable path, a corrupt artefact, a resource limit) exits {@link #USAGE_ERROR} with one line
 * naming what was wrong; anything else is a bug in Kiln: one line saying so, the stack trace in a log
 * file (or on stderr with {@code --debug}), exit {@link #BUG}.
 */
final class ErrorBoundary {

  /** Exit code for a user mistake (bad recipe, missing or corrupt file, bad value, unwritable output). */
  static final int USAGE_ERROR = 2;
  /** Exit code for a bug in Kiln. */
  static final int BUG = 70;

  private ErrorBoundary() {}

  /** Reports {@code t}, raised by {@code command} ("kiln train"), on {@code err}; returns the exit code. */
  static int report(Throwable t, String command, PrintWriter err, boolean debug) {
    String user = userMessage(t);
    if (user != null) {
      err.println(command + ": " + user);
      if (debug) {
        t.printStackTrace(err);
      }
      err.flush();
      return USAGE_ERROR;
    }
    err.println(command + ": internal error, a bug in Kiln rather than in what you gave it: " + t);
    if (debug) {
      t.printStackTrace(err);
    } else {
      err.println("  the stack trace is in " + traceFile(t) + "; rerun with --debug to print it, and please report it");
    }
    err.flush();
    return BUG;
  }

  /** The one-line message for a failure the user can cause and fix, or null for a bug. */
  static String userMessage(Throwable t) {
    if (t instanceof UncheckedIOException u && u.getCause() != null) {
      return u.getMessage().equals(u.getCause().toString()) ? userMessage(u.getCause()) : u.getMessage();
    }
    if (t instanceof OutOfMemoryError) {
      return "ran out of memory (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB heap); ask for less (a"
          + " smaller -n or --batch-size) or give Java more with JAVA_OPTS=-Xmx…";
    }
    if (t instanceof NoSuchFileException e) {
      return e.getFile() + (e.getReason() == null ? " does not exist" : ": " + e.getReason());
    }
    if (t instanceof AccessDeniedException e) {
      return e.getFile() + ": permission denied; choose a place you can write to (or read)";
    }
    if (t instanceof FileAlreadyExistsException e) {
      return e.getFile() + " already exists" + (e.getReason() == null ? "" : ": " + e.getReason());
    }
    if (t instanceof NotDirectoryException e) {
      return e.getFile() + " is not a folder";
    }
    if (t instanceof FileSystemException e) {
      return e.getMessage();
    }
    if (t instanceof ConfigException || t instanceof IllegalArgumentException || t instanceof GraphException
        || t instanceof IOException || t instanceof FindException || t instanceof ResolutionException) {
      return t.getMessage() != null ? t.getMessage() : t.toString();
    }
    return null;
  }

  /** Writes the trace of a bug to a log file; returns its path (or a note when even that fails). */
  private static String traceFile(Throwable t) {
    StringWriter s = new StringWriter();
    t.printStackTrace(new PrintWriter(s));
    try {
      Path log = Files.createTempFile("kiln-crash-", ".log");
      Files.writeString(log, s.toString(), StandardCharsets.UTF_8);
      return log.toString();
    } catch (IOException | RuntimeException e) {
      return "(no log file: " + e.getMessage() + ")";
    }
  }
}
