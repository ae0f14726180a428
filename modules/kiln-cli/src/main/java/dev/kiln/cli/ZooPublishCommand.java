package dev.kiln.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.spi.ConfigException;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln zoo publish NAME [--run [FILE=]RUN_DIR]...}: the one step that puts a trained model into the zoo. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Put a trained model into its zoo folder, which already holds its recipe, README.md and a",
        "card.json naming the files, recipes and evaluation: export each --run into the folder (serving files",
        "too), run the card's evaluation on the exported model and write the numbers into card.json and the",
        "README's measured block, then write SHA256SUMS. Without --run, re-measures and re-hashes what is there.",
        "All of it is written into a copy beside the folder, which then replaces the folder whole: a failure or a",
        "kill leaves the old folder, and the next `kiln zoo` command finishes a replacement a kill interrupted."})
final class ZooPublishCommand implements Callable<Integer> {

  @Parameters(paramLabel = "NAME", description = "the model's folder in the zoo")
  String name;

  @Option(names = "--run", paramLabel = "[FILE=]RUN_DIR", description = {"a run folder of `kiln train` to export as the",
      "card's FILE (default: its only model file); its recipe must be the folder's recipe for that file"})
  List<String> runs = new ArrayList<>();

  @Option(names = "--keep-numbers", description = {"keep the card's numbers instead of measuring (after editing the",
      "README's prose, say); not with --run, and `kiln zoo verify` still re-measures them"})
  boolean keepNumbers;

  @Mixin
  ZooRunOptions options;

  @Override
  public Integer call() throws Exception {
    RuntimeOptions runtime = options.runtime();
    Path folder = options.zoo.folder(name);
    ZooCard card = ZooCard.read(folder);
    if (keepNumbers && (!runs.isEmpty() || card.metrics().isEmpty())) {
      throw new ConfigException("--keep-numbers: " + (runs.isEmpty() ? folder.resolve(ZooCard.FILE) + " has no numbers"
          + " to keep" : "a newly exported model must be measured; drop --keep-numbers or --run"));
    }
    Map<ZooCard.Trained, Path> exports = new LinkedHashMap<>();
    for (String spec : runs) {
      int eq = spec.indexOf('=');
      String file = eq > 0 ? spec.substring(0, eq) : null;
      Path runDir = Path.of(eq > 0 ? spec.substring(eq + 1) : spec);
      trained(card, file, spec).forEach(t -> exports.put(t, runDir));
    }
    com.google.inject.Injector training = runtime.injector();
    TrainingRun run = training.getInstance(TrainingRun.class);
    for (Map.Entry<ZooCard.Trained, Path> e : exports.entrySet()) {
      if (e.getKey().trainer() == null) {
        requireSameRecipe(folder.resolve(e.getKey().recipe()), e.getValue());
      }
    }
    Path staged = ZooSwap.stage(folder);
    Map<String, Double> measured;
    ZooManifest manifest;
    try {
      measured = publish(staged, folder, card, exports, run, training, runtime);
      manifest = ZooManifest.read(staged);
      ZooSwap.commit(staged, folder);
    } catch (Throwable t) {
      ZooSwap.abandon(staged);
      throw t;
    }
    measured.forEach((k, v) -> System.out.println(name + ": " + k + " " + v));
    System.out.println("kiln zoo publish " + name + ": wrote " + ZooCard.FILE + ", README.md and " + ZooManifest.FILE
        + " (" + manifest.sums().size() + " files)");
    return 0;
  }

  /**
   * Exports, measures and writes everything into {@code staged}, the staging copy of {@code folder} (see
   * {@link ZooSwap}); {@code folder} itself is not touched. Returns the numbers measured.
   */
  private Map<String, Double> publish(Path staged, Path folder, ZooCard card, Map<ZooCard.Trained, Path> exports,
      TrainingRun run, com.google.inject.Injector training, RuntimeOptions runtime) throws Exception {
    for (Map.Entry<ZooCard.Trained, Path> e : exports.entrySet()) {
      Path out = staged.resolve(e.getKey().file());
      if (e.getKey().trainer() != null) {
        ZooToolTraining.export(e.getKey(), staged.resolve(e.getKey().recipe()), e.getValue(), out);
        System.out.println("copied " + e.getValue().resolve(e.getKey().file()) + " to " + folder.resolve(e.getKey()
            .file()));
        continue;
      }
      run.export(e.getValue(), out, true);
      System.out.println("exported " + e.getValue() + " to " + folder.resolve(e.getKey().file()));
      if (e.getKey().file().equals(card.evaluation().model())) {
        run.exportServing(e.getValue(), staged.resolve("serving"), true)
            .forEach(line -> System.out.println(String.valueOf(line).replace(staged.toString(), folder.toString())));
      }
    }
    for (String f : card.leaveOut()) {
      if (Files.deleteIfExists(staged.resolve(f))) {
        System.out.println("left out " + folder.resolve(f) + " (the card's leave_out)");
      }
    }
    for (ZooCard.Trained t : card.models()) {
      if (!Files.isRegularFile(staged.resolve(t.file()))) {
        throw new ConfigException(folder.resolve(t.file()) + " does not exist; export it with --run " + t.file()
            + "=RUN_DIR");
      }
    }
    Map<String, Double> measured = keepNumbers ? card.metrics()
        : ZooEvaluation.measure(staged, card, training, runtime.inferenceInjector());
    ZooCard published = card.withMetrics(measured);
    published.write(staged);
    ZooReadme.writeMeasured(staged, published);
    ZooManifest.of(staged).write(staged);
    return measured;
  }

  /**
   * The card's files a {@code --run} exports: FILE, or the only one, or, for a run of a tool that exports
   * several files of one recipe, all of them.
   */
  private static List<ZooCard.Trained> trained(ZooCard card, String file, String spec) {
    if (file == null) {
      ZooCard.Trained first = card.models().get(0);
      if (first.trainer() != null && card.models().stream().allMatch(t -> first.trainer().equals(t.trainer())
          && first.recipe().equals(t.recipe()))) {
        return card.models();
      }
      if (card.models().size() != 1) {
        throw new ConfigException("--run " + spec + ": the card lists " + card.models().size() + " model files; say which"
            + " one, e.g. --run " + card.models().get(0).file() + "=" + spec);
      }
      return List.of(card.models().get(0));
    }
    return List.of(card.models().stream().filter(t -> t.file().equals(file)).findFirst().orElseThrow(() ->
        new ConfigException("--run " + spec + ": " + file + " is not a model file of the card; its files: "
            + card.models().stream().map(ZooCard.Trained::file).toList())));
  }

  /** The run was trained with the folder's recipe (its description aside), so {@code kiln zoo reproduce} retrains it. */
  private static void requireSameRecipe(Path recipeFile, Path runDir) {
    ObjectNode zoo = Recipe.read(recipeFile).json().deepCopy();
    ObjectNode trained = Recipe.read(runDir.resolve(TrainingRun.RECIPE)).json().deepCopy();
    zoo.remove("description");
    trained.remove("description");
    List<String> differing = new ArrayList<>();
    zoo.fieldNames().forEachRemaining(f -> {
      if (!zoo.get(f).equals(trained.get(f))) {
        differing.add(f);
      }
    });
    trained.fieldNames().forEachRemaining(f -> {
      if (!zoo.has(f)) {
        differing.add(f);
      }
    });
    if (!differing.isEmpty()) {
      throw new ConfigException("--run " + runDir + ": trained with a recipe whose " + String.join(", ", differing)
          + " differ from " + recipeFile + "; train " + recipeFile + " itself so that the zoo can reproduce it");
    }
  }
}
