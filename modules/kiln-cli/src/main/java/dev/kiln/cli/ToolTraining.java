package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Zoo models that a method's own tool trains, rather than {@code kiln train} (NerfDiff, Control3Diff,
 * PLANNER: their training loops are their own). A card names the tool and its seed per file
 * ({@link ZooCard.Trained#tool()}); the file's recipe is the config the tool trains from. Every such
 * tool, found at run time as a {@link ToolProvider} like {@code kiln nerfdiff}'s, keeps one contract:
 *
 * <pre>
 *   TOOL train    --config FILE --seed N --output RUN_DIR --threads T     (also writes RUN_DIR/config.json, in full)
 *   TOOL export   --model RUN_DIR --output DIR
 *   TOOL evaluate --onnx DIR --count N --seed S --threads T --metrics FILE.json
 * </pre>
 *
 * {@code export} writes every file the model ships, each {@code .onnx} with its provenance in
 * {@code metadata_props}: {@code recipe} (the config as JSON), {@code seed}, {@code kiln_version},
 * {@code source_commit} and {@code data_name}/{@code data_sha256}. {@code evaluate} measures the
 * exported files in {@code DIR} on {@code N} held-out items and writes the numbers as one JSON object.
 */
final class ToolTraining {

  /** The largest {@code count} a card's tool evaluation may ask for. */
  static final int MAX_COUNT = 256;

  private ToolTraining() {}

  /** Trains {@code t}'s model from {@code folder}'s config into {@code runDir}. */
  static void train(Path folder, ZooCard.Trained t, Path runDir, int threads, PrintStream log) {
    run(t.tool(), log, "train", "--config", folder.resolve(t.recipe()).toString(), "--seed", Long.toString(t.seed()),
        "--output", runDir.toString(), "--threads", Integer.toString(threads));
  }

  /** Exports the tool's run {@code runDir} into the new folder {@code out}; returns {@code out}. */
  static Path export(ZooCard.Trained t, Path runDir, Path out, PrintStream log) {
    run(t.tool(), log, "export", "--model", runDir.toString(), "--output", out.toString());
    return out;
  }

  /**
   * Exports {@code runDir} and copies everything the export wrote into {@code staged}, after checking
   * that each of the card's files of that run was trained with the folder's config and the card's seed.
   */
  static void publish(Path folder, ZooCard card, ZooCard.Trained t, Path runDir, Path staged, PrintStream log)
      throws IOException {
    Path tmp = Files.createTempDirectory("kiln-zoo-export-");
    try {
      export(t, runDir, tmp.resolve("export"), log);
      for (ZooCard.Trained f : card.models()) {
        if (f.sameRun(t)) {
          requireTrainedWith(folder, f, tmp.resolve("export").resolve(f.file()), runDir);
        }
      }
      try (Stream<Path> files = Files.walk(tmp.resolve("export"))) {
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          Path to = staged.resolve(tmp.resolve("export").relativize(p).toString());
          Files.createDirectories(to.getParent());
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(tmp)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The exported {@code file} was trained with {@code t}'s config and seed, so the zoo can retrain it. */
  private static void requireTrainedWith(Path folder, ZooCard.Trained t, Path file, Path runDir) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--run " + runDir + ": `" + t.tool() + " export` wrote no " + t.file()
          + ", which the card lists");
    }
    Map<String, String> meta = ModelReader.read(file).metadata();
    JsonNode config = Configs.readFile(folder.resolve(t.recipe()), "config");
    String recipe = meta.get("recipe");
    if (recipe == null || !Configs.parse(recipe, file + " metadata `recipe`").equals(config)) {
      throw new ConfigException("--run " + runDir + ": trained with a config that differs from "
          + folder.resolve(t.recipe()) + "; ship the run's own " + runDir.resolve("config.json") + " as "
          + t.recipe() + ", or train that file itself (kiln " + command(t.tool()) + " train --config "
          + folder.resolve(t.recipe()) + " --seed " + t.seed() + "), so that the zoo can reproduce it");
    }
    if (!Long.toString(t.seed()).equals(meta.get("seed"))) {
      throw new ConfigException("--run " + runDir + ": trained with seed " + meta.get("seed") + ", but the card's"
          + " field `models[].seed` for " + t.file() + " is " + t.seed());
    }
  }

  /** The numbers the card's tool evaluation measures on {@code folder}'s files. */
  static Map<String, Double> evaluate(Path folder, ZooCard card, int threads, PrintStream log) throws IOException {
    ZooCard.Trained t = card.evaluated();
    ZooCard.Evaluation e = card.evaluation();
    Path json = Files.createTempFile("kiln-zoo-metrics-", ".json");
    try {
      run(t.tool(), log, "evaluate", "--onnx", folder.toString(), "--count", Integer.toString(e.count()), "--seed",
          Long.toString(e.seed()), "--threads", Integer.toString(threads), "--metrics", json.toString());
      JsonNode n = Configs.readFile(json, t.tool() + " evaluate --metrics");
      Map<String, Double> out = new LinkedHashMap<>();
      n.properties().forEach(m -> {
        if (!m.getValue().isNumber()) {
          throw new IllegalStateException(t.tool() + " evaluate wrote a metric `" + m.getKey() + "` that is not a"
              + " number: " + m.getValue());
        }
        out.put(m.getKey(), m.getValue().asDouble());
      });
      return out;
    } finally {
      Files.deleteIfExists(json);
    }
  }

  /** The card's tool evaluation as a command line, run from the checkout. */
  static String evaluationCommand(ZooCard card) {
    ZooCard.Evaluation e = card.evaluation();
    return "./kiln " + command(card.evaluated().tool()) + " evaluate --onnx model-zoo/" + card.name() + " --count "
        + e.count() + " --seed " + e.seed() + " --threads 1";
  }

  /** The {@code kiln} subcommand of a tool: {@code kiln-nerfdiff} is {@code kiln nerfdiff}. */
  static String command(String tool) {
    return tool.substring("kiln-".length());
  }

  /** Runs {@code tool} with {@code args}, its output to {@code log}; a failure names the tool and what it said. */
  private static void run(String tool, PrintStream log, String... args) {
    ToolProvider p = ToolProvider.findFirst(tool).orElseThrow(() -> new ConfigException("the card names the tool `"
        + tool + "`, which is not on the module path"));
    StringWriter said = new StringWriter();
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(log, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new TeeWriter(said, out), true);
    int rc = p.run(out, err, args);
    out.flush();
    err.flush();
    if (rc != 0) {
      List<String> cmd = new ArrayList<>(List.of(command(tool)));
      cmd.addAll(List.of(args));
      String msg = "kiln " + String.join(" ", cmd) + " exited with " + rc + ": " + said.toString().strip();
      throw rc == 2 ? new ConfigException(msg) : new IllegalStateException(msg);
    }
  }

  /** A writer that writes to two. */
  private static final class TeeWriter extends java.io.Writer {
    private final java.io.Writer a;
    private final java.io.Writer b;

    TeeWriter(java.io.Writer a, java.io.Writer b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
      a.write(cbuf, off, len);
      b.write(cbuf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
