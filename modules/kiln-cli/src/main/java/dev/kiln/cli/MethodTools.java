package dev.kiln.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * The method commands ({@code kiln generate}, {@code planner}, {@code nerfdiff}, {@code ssdnerf},
 * {@code control3diff}) hand their work to a method module's {@link ToolProvider}, found at run time so
 * the command line does not compile against the method modules.
 */
final class MethodTools {

  private MethodTools() {}

  /**
   * Runs {@code tool} with {@code args} on standard output and error.
   *
   * @param module what provides the tool, for the error when it is not on the module path
   * @return the tool's exit code
   */
  static int run(String tool, String module, List<String> args) {
    ToolProvider p = ToolProvider.findFirst(tool).orElseThrow(() -> new IllegalStateException(
        module + " (tool " + tool + ") is not on the module path"));
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    return p.run(out, err, args.toArray(String[]::new));
  }
}
