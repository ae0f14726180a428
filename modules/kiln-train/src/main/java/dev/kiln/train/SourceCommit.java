package dev.kiln.train;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The source commit of the running Kiln, for a trained model's provenance: {@code git rev-parse HEAD} of
 * the checkout its classes were built in, with {@code -dirty} appended when tracked files there differ
 * from that commit. Kiln run from a jar outside any checkout, or without git, records {@link #UNKNOWN}.
 */
public final class SourceCommit {

  /** What is recorded when no checkout or no git can be found. */
  public static final String UNKNOWN = "unknown";

  private static volatile String cached;

  private SourceCommit() {}

  /** The commit, found once per process. */
  public static String current() {
    String c = cached;
    if (c == null) {
      c = find();
      cached = c;
    }
    return c;
  }

  private static String find() {
    Path checkout = checkout();
    if (checkout == null) {
      return UNKNOWN;
    }
    String head = git(checkout, "rev-parse", "HEAD");
    if (head == null || !head.matches("[0-9a-f]{40}")) {
      return UNKNOWN;
    }
    String changes = git(checkout, "status", "--porcelain", "--untracked-files=no");
    return changes == null || changes.isEmpty() ? head : head + "-dirty";
  }

  /**
   * The nearest folder above this class's jar or class folder that holds {@code .git} and Kiln's own
   * sources, so a Kiln jar used from inside another git repository does not report that repository's commit.
   */
  private static Path checkout() {
    try {
      Path p = Path.of(SourceCommit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = p.toAbsolutePath(); dir != null; dir = dir.getParent()) {
        if (Files.exists(dir.resolve(".git")) && Files.isDirectory(dir.resolve("modules/kiln-train"))) {
          return dir;
        }
      }
      return null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static String git(Path dir, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
