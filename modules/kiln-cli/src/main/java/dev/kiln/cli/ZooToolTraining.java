package dev.kiln.cli;

import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.spi.ToolProvider;

/**
 * Zoo models of methods that train in their own loop rather than by {@code kiln train} (a card's
 * {@code models[].trainer}): the method's tool, found at run time, trains a recipe and exports the model
 * files into a run folder ({@code TOOL train --config RECIPE --output DIR --threads N}); {@code kiln zoo
 * publish} copies them from that folder, and {@code kiln zoo reproduce} retrains into a fresh one.
 */
final class ZooToolTraining {

  /** The copy of its recipe that a tool's run folder holds. */
  static final String RECIPE = "recipe.json";

  private ZooToolTraining() {}

  /** Runs {@code tool} with {@code args}; returns what it printed; a non-zero exit is an error naming both. */
  static String run(String tool, String... args) {
    ToolProvider p = ToolProvider.findFirst(tool).orElseThrow(() -> new ConfigException("the tool " + tool
        + " is not on the module path; its method module must be there"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = p.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    if (code != 0) {
      throw new IllegalStateException(tool + " " + String.join(" ", args) + " exited " + code + ": " + err);
    }
    return out.toString();
  }

  /** Trains {@code recipe} with {@code t}'s tool into {@code runDir} on {@code threads} threads. */
  static void train(ZooCard.Trained t, Path recipe, Path runDir, int threads) {
    String out = run(t.trainer(), "train", "--config", recipe.toString(), "--output", runDir.toString(), "--threads",
        Integer.toString(Math.max(1, threads)));
    System.err.print(out);
  }

  /**
   * Copies {@code t}'s file from {@code runDir} to {@code target}, after checking that the run trained the
   * folder's recipe {@code recipe} (so that {@code kiln zoo reproduce} retrains it).
   */
  static void export(ZooCard.Trained t, Path recipe, Path runDir, Path target) throws IOException {
    Path trained = runDir.resolve(RECIPE);
    if (!Files.isRegularFile(trained)) {
      throw new ConfigException("--run " + runDir + ": no " + RECIPE + "; train it with `" + t.trainer() + " train`");
    }
    if (!Configs.readFile(recipe, "recipe").equals(Configs.readFile(trained, "recipe"))) {
      throw new ConfigException("--run " + runDir + ": trained with a recipe that differs from " + recipe + "; train "
          + recipe + " itself so that the zoo can reproduce it");
    }
    Path file = runDir.resolve(t.file());
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--run " + runDir + ": holds no " + t.file() + " to publish");
    }
    AtomicFiles.write(target, Files.readAllBytes(file));
  }
}
