package dev.kiln.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of a method tool's subcommand ({@code kiln nerfdiff train --config FILE
 * --seed 0}), read strictly: an unknown option, a missing value, a missing required option or a value that
 * is not a number is an {@link IllegalArgumentException} naming the option and the value, which the command
 * line turns into exit code 2.
 */
public final class ToolArguments {

  private final Map<String, String> values;

  private ToolArguments(Map<String, String> values) {
    this.values = values;
  }

  /**
   * The options of {@code args} from index {@code from} on; each must be one of {@code known}, and takes a
   * value unless it is one of {@code flags}.
   */
  public static ToolArguments parse(String[] args, int from, List<String> known, Set<String> flags) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument `" + a + "`; options are --name value");
      }
      if (!known.contains(a)) {
        throw new IllegalArgumentException("unknown option " + a + "; known: " + known);
      }
      if (flags.contains(a)) {
        o.put(a, "");
      } else if (i + 1 < args.length) {
        o.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
    }
    return new ToolArguments(o);
  }

  /** Whether the option (or flag) was given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The option's value, or null. */
  public String get(String name) {
    return values.get(name);
  }

  /** The option's value; its absence is an error naming it. */
  public String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("option " + name + " is required");
    }
    return v;
  }

  /** The option as an integer, or {@code fallback} when absent. */
  public long integer(String name, long fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + name + " must be an integer, got `" + v + "`");
    }
  }

  /** The option as a number, or {@code fallback} when absent. */
  public double number(String name, double fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + name + " must be a number, got `" + v + "`");
    }
  }

  /**
   * Prints an evaluation's numbers, one {@code name value} line each, and, when {@code --metrics FILE}
   * was given, writes them to FILE as one JSON object (a temporary file, then moved).
   */
  public void report(Map<String, Double> scores, java.io.PrintWriter out) throws java.io.IOException {
    scores.forEach((k, v) -> out.printf(java.util.Locale.ROOT, "%s %.4f%n", k, v));
    if (has("--metrics")) {
      dev.kiln.graph.onnx.AtomicFiles.write(java.nio.file.Path.of(get("--metrics")),
          (dev.kiln.spi.Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(scores) + "\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    out.flush();
  }
}
