package dev.kiln.text.planner;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * The {@code kiln-generate} tool behind {@code kiln generate}: paragraphs from an exported PLANNER
 * folder (latents sampled by DDIM, decoded greedily) or an exported language-model folder (control
 * token, then greedy or nucleus decoding), for an attribute and/or a prefix. Arguments:
 * {@code MODEL_DIR [--attribute C] [--prefix TEXT] [-n N] [--seed S] [--guidance W] [--steps S]
 * [--top-p P] [--top-k K] [--threads T]}. Prints one paragraph per line; exit 2 for a user error
 * (one line naming the file, field or value).
 */
public final class GenerateTool implements ToolProvider {

  @Override
  public String name() {
    return "kiln-generate";
  }

  @Override
  public int run(PrintWriter out, PrintWriter err, String... args) {
    try {
      return generate(out, err, args);
    } catch (IOException | IllegalArgumentException e) {
      err.println("kiln generate: " + e.getMessage());
      err.flush();
      return 2;
    }
  }

  private static int generate(PrintWriter out, PrintWriter err, String... args) throws IOException {
    Path dir = null;
    Integer attribute = null;
    String prefix = null;
    int n = 4;
    long seed = 0;
    double guidance = 1;
    int steps = 20;
    double topP = 0;
    int topK = 0;
    int threads = 1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-")) {
        dir = Path.of(a);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--attribute" -> attribute = integer(a, v);
        case "--prefix" -> prefix = v;
        case "-n", "--count" -> n = integer(a, v);
        case "--seed" -> seed = integer(a, v);
        case "--guidance" -> guidance = number(a, v);
        case "--steps" -> steps = integer(a, v);
        case "--top-p" -> topP = number(a, v);
        case "--top-k" -> topK = integer(a, v);
        case "--threads" -> threads = integer(a, v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (dir == null) {
      throw new IllegalArgumentException("give the exported model folder (a PLANNER or language-model export)");
    }
    TextRequest request;
    try {
      request = new TextRequest(attribute, prefix, n, seed, guidance, steps, topP, topK);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("options: " + e.getMessage(), e);
    }
    OrtBackend backend = new OrtBackend(BackendOptions.cpu(threads));
    long t0 = System.nanoTime();
    List<String> texts;
    try (TextModel model = TextModel.open(dir, backend)) {
      texts = model.generate(request);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(dir + ": " + e.getMessage(), e);
    }
    for (String t : texts) {
      out.println(prefix == null ? t : prefix + " " + t);
    }
    out.flush();
    err.printf("kiln generate: %d paragraphs in %.2f s%n", n, (System.nanoTime() - t0) / 1e9);
    err.flush();
    return 0;
  }

  private static int integer(String option, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + option + " must be an integer, got `" + v + "`", e);
    }
  }

  private static double number(String option, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + option + " must be a number, got `" + v + "`", e);
    }
  }
}
