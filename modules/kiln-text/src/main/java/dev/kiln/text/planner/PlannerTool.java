package dev.kiln.text.planner;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Configs;
import dev.kiln.text.corpus.SotuParagraphs;
import dev.kiln.train.ToolArguments;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * The {@code kiln-planner} tool behind {@code kiln planner}:
 *
 * <pre>
 *   kiln planner train --config FILE --output DIR [--seed N] [--threads N]
 *   kiln planner export --model DIR --output DIR
 *   kiln planner evaluate --onnx DIR [--count N] [--seed S] [--threads N] [--metrics FILE.json]
 * </pre>
 *
 * {@code train} trains PLANNER on the State of the Union paragraphs from a {@link PlannerRecipe}
 * ({@link PlannerPipeline}: progress lines, a metrics log and a checkpoint per stage, resumable) and
 * exports the model folder {@code kiln generate} reads; {@code export} copies that folder out;
 * {@code evaluate} measures an exported folder ({@link PlannerScores}). Mistakes are thrown as
 * {@link IllegalArgumentException} or {@link UncheckedIOException} naming the file, option and value.
 */
public final class PlannerTool implements ToolProvider {

  @Override
  public String name() {
    return "kiln-planner";
  }

  @Override
  public int run(PrintWriter out, PrintWriter err, String... args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.println("usage: kiln planner train --config FILE --output DIR [--seed N] [--threads N]");
      out.println("       kiln planner export --model DIR --output DIR");
      out.println("       kiln planner evaluate --onnx DIR [--count N] [--seed S] [--threads N] [--metrics FILE.json]");
      out.flush();
      return args.length == 0 ? 2 : 0;
    }
    ToolArguments o = options(args);
    try {
      switch (args[0]) {
        case "train" -> train(o, out);
        case "export" -> export(o, out);
        case "evaluate" -> evaluate(o, out);
        default -> throw new IllegalArgumentException("unknown subcommand `" + args[0]
            + "`; use train, export or evaluate");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
    return 0;
  }

  private static void train(ToolArguments o, PrintWriter out) throws IOException {
    Path config = Path.of(o.required("--config"));
    PlannerRecipe recipe = Configs.read(Configs.readFile(config, "planner recipe"), PlannerRecipe.class,
        config.toString());
    Path dir = Path.of(o.required("--output"));
    PlannerPipeline.Result r = PlannerPipeline.train(recipe, o.integer("--seed", 0), backend(o), dir,
        new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8));
    out.println("planner: model in " + r.model());
  }

  private static void export(ToolArguments o, PrintWriter out) throws IOException {
    Path model = Path.of(o.required("--model")).resolve(PlannerPipeline.MODEL);
    if (!Files.isRegularFile(model.resolve("model.properties"))) {
      throw new NoSuchFileException(model.toString(), null, "no trained PLANNER model (run kiln planner train)");
    }
    Path dir = Path.of(o.required("--output"));
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(model)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        Path tmp = dir.resolve(f.getFileName() + ".tmp");
        Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
    }
    out.println("planner: exported " + model + " to " + dir);
  }

  private static void evaluate(ToolArguments o, PrintWriter out) throws IOException {
    Path dir = Path.of(o.required("--onnx"));
    int count = (int) o.integer("--count", 64);
    if (count < 2 || count > 1000) {
      throw new IllegalArgumentException("--count must be in [2, 1000], got " + count);
    }
    if (!Files.isRegularFile(dir.resolve("model.properties"))) {
      throw new NoSuchFileException(dir.resolve("model.properties").toString(), null,
          "not an exported PLANNER folder (run kiln planner export)");
    }
    Map<String, Double> scores;
    try (Planner planner = Planner.load(dir, backend(o))) {
      scores = PlannerScores.heldOut(planner, SotuParagraphs.load().test(), count, o.integer("--seed", 0));
    }
    o.report(scores, out);
  }

  private static OrtBackend backend(ToolArguments o) {
    return new OrtBackend(BackendOptions.cpu((int) o.integer("--threads", 1)));
  }

  /** {@code --name value} pairs after the subcommand. */
  private static ToolArguments options(String[] args) {
    return ToolArguments.parse(args, 1, List.of("--config", "--output", "--seed", "--threads", "--model", "--onnx",
        "--count", "--metrics"), java.util.Set.of());
  }
}
