package dev.kiln.conformance.tck;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * The conformance suite as a JDK {@link ToolProvider} named {@code kiln-tck}, so that {@code kiln tck}
 * (or any tool) runs it without compiling against the suite or the test libraries it is written with.
 * Arguments: {@code -p PATH[:PATH…]} (jars or folders of modular jars), {@code --include-kiln} and
 * {@code -o DIR} (the JUnit XML report folder, default {@code tck-report}). Exit code 0 when every
 * provider conforms, 1 when a check fails, 2 for bad arguments or unreadable jars.
 */
public final class TckTool implements ToolProvider {

  /** The tool's name. */
  public static final String NAME = "kiln-tck";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int run(PrintWriter out, PrintWriter err, String... args) {
    List<Path> modulePath = new ArrayList<>();
    boolean includeKiln = false;
    Path report = Path.of("tck-report");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-p", "--module-path" -> {
          if (i + 1 == args.length) {
            return usage(err, args[i] + " needs a value");
          }
          for (String p : args[++i].split(":")) {
            modulePath.add(Path.of(p));
          }
        }
        case "-o", "--report" -> {
          if (i + 1 == args.length) {
            return usage(err, args[i] + " needs a value");
          }
          report = Path.of(args[++i]);
        }
        case "--include-kiln" -> includeKiln = true;
        default -> {
          return usage(err, "unknown argument `" + args[i] + "`");
        }
      }
    }
    if (modulePath.isEmpty()) {
      return usage(err, "-p PATH is required");
    }
    try {
      return Tck.run(modulePath, includeKiln, report, out);
    } catch (IllegalArgumentException | java.lang.module.FindException | java.lang.module.ResolutionException
        | LayerInstantiationException | java.io.IOException e) {
      err.println(NAME + ": " + e.getMessage());
      return 2;
    } finally {
      out.flush();
    }
  }

  private static int usage(PrintWriter err, String problem) {
    err.println(NAME + ": " + problem + "; usage: " + NAME + " -p PATH[:PATH...] [--include-kiln] [-o DIR]");
    return 2;
  }
}
