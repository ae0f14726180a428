package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.train.Recipe;
import dev.kiln.train.RunFolder;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln train RECIPE}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train the model a recipe describes.",
        "Writes checkpoint.safetensors, metrics.jsonl and recipe.json to the run folder; if the folder already",
        "holds a checkpoint of the same recipe and seed, training resumes after it."})
public final class TrainCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RECIPE", description = "recipe JSON file (see model-zoo/*/recipe.json)")
  Path recipe;

  @Option(names = {"-o", "--run-dir"}, paramLabel = "DIR", description = "run folder (default: runs/<recipe name>)")
  Path runDir;

  @Option(names = "--set", paramLabel = "FIELD=VALUE",
      description = "override a recipe field, e.g. --set trainer.steps=500 --set seed=3")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--allow-recipe-change",
      description = {"resume a run with a recipe that differs from the one it was trained with (the change is",
          "recorded in the run folder's " + RunFolder.RECIPE_CHANGES + "); without it such a resume is refused"})
  boolean allowRecipeChange;

  @Mixin
  RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    Recipe r = applyOverrides(Recipe.read(recipe), overrides);
    Path dir = runDir != null ? runDir : Path.of("runs", r.name());
    TrainingRun run = runtime.injector().getInstance(TrainingRun.class);
    long start = System.nanoTime();
    Trainer.Result result = run.train(r, dir, System.err, allowRecipeChange);
    double secs = (System.nanoTime() - start) / 1e9;
    if (result.alreadyFinished()) {
      System.out.printf(Locale.ROOT, "%s: run folder %s already holds the finished run (%d steps); nothing to train."
          + " Export it with `kiln export %s`, or train on with --set trainer.steps=N --allow-recipe-change%n",
          r.name(), dir, result.steps(), dir);
      return 0;
    }
    if (result.startStep() > 0) {
      System.out.printf(Locale.ROOT, "%s: resumed after step %d of %s%n", r.name(), result.startStep(), dir);
    }
    System.out.printf(Locale.ROOT, "%s: %d steps in %.1f s (%.1f it/s), final loss %.5g%s; run folder %s%n", r.name(),
        result.steps(), secs, result.stepsPerSecond(), result.finalLoss(), evals(result), dir);
    if (result.diverged()) {
      System.err.println("kiln train: the loss diverged at step " + result.steps());
      return 3;
    }
    return 0;
  }

  static String evals(Trainer.Result r) {
    StringBuilder sb = new StringBuilder();
    r.lastEval().forEach((k, v) -> sb.append(String.format(Locale.ROOT, ", %s %.4g", k, v)));
    return sb.toString();
  }

  static Recipe applyOverrides(Recipe r, List<String> overrides) {
    Recipe out = r;
    for (String o : overrides) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--set expects FIELD=VALUE, got `" + o + "`");
      }
      String value = o.substring(eq + 1);
      JsonNode v;
      try {
        v = Configs.mapper().readTree(value);
      } catch (java.io.IOException e) {
        v = null;
      }
      if (v == null || v.isMissingNode()) {
        v = Configs.mapper().getNodeFactory().textNode(value);
      }
      out = out.with(o.substring(0, eq), v);
    }
    return out;
  }
}
