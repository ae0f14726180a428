package dev.kiln.cli;

import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.spi.ConfigException;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln zoo reproduce NAME}. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = {"Retrain a zoo model from its recipe (each file the card lists, in order) and compare the",
        "exported weights with the shipped ones: bit for bit, or how many tensors differ and by how much.",
        "The same recipe and seed give the same weights on the same machine. Run from the checkout, since a",
        "recipe may name a file of the zoo (a BOOT teacher). Exit 0 when every file matches bit for bit, 1 otherwise."})
final class ZooReproduceCommand implements Callable<Integer> {

  @Parameters(paramLabel = "NAME", description = "a model of the zoo (kiln zoo list)")
  String name;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "an empty or new folder for the run folders (default: a new temporary folder, kept)")
  Path output;

  @Mixin
  ZooRunOptions options;

  @Override
  public Integer call() throws Exception {
    RuntimeOptions runtime = options.runtime();
    Path folder = options.shipped(name, "reproduce");
    ZooCard card = ZooCard.read(folder);
    Path dir = output;
    if (dir == null) {
      dir = Files.createTempDirectory("kiln-zoo-reproduce-" + name + "-");
    } else if (Files.isDirectory(dir)) {
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new ConfigException("-o " + dir + " is not empty; name a new or empty folder");
        }
      }
    } else {
      Outputs.requireWritableFolder(dir, "-o " + dir);
    }
    TrainingRun run = runtime.injector().getInstance(TrainingRun.class);
    boolean identical = true;
    Map<String, Path> toolRuns = new HashMap<>();
    Path base = dir;
    for (ZooCard.Trained t : card.models()) {
      Path shipped = folder.resolve(t.file());
      if (t.trainer() != null) {
        long start = System.nanoTime();
        boolean fresh = !toolRuns.containsKey(t.recipe());
        Path runDir = toolRuns.computeIfAbsent(t.recipe(), r -> base.resolve(r.replace(".json", "")));
        if (fresh) {
          ZooToolTraining.train(t, folder.resolve(t.recipe()), runDir, runtime.threads);
        }
        WeightComparison c = WeightComparison.of(shipped, runDir.resolve(t.file()));
        identical &= c.identical();
        System.out.printf(Locale.ROOT, "%s: %s %s by %s in %.0f s (%s): %s%n", t.file(), fresh ? "retrained from"
            : "from the same run of", t.recipe(), t.trainer(), (System.nanoTime() - start) / 1e9, runDir, c);
        continue;
      }
      Recipe recipe = Recipe.read(folder.resolve(t.recipe()));
      String trainedWith = ModelReader.read(shipped).metadata().get("recipe");
      if (trainedWith == null || !Recipe.parse(trainedWith, shipped.toString()).json().equals(recipe.json())) {
        System.out.printf("%s: note: the shipped file's recipe %s %s%n", t.file(),
            trainedWith == null ? "is not recorded, so it may differ from" : "differs from", t.recipe());
      }
      String stem = t.file().substring(0, t.file().length() - ".onnx".length());
      Path runDir = dir.resolve(stem);
      long start = System.nanoTime();
      run.train(recipe, runDir, System.err);
      Path retrained = run.export(runDir, runDir.resolve("model.onnx"), true);
      WeightComparison c = WeightComparison.of(shipped, retrained);
      identical &= c.identical();
      System.out.printf(Locale.ROOT, "%s: retrained from %s in %.0f s (%s): %s%n", t.file(), t.recipe(),
          (System.nanoTime() - start) / 1e9, runDir, c);
    }
    System.out.println("kiln zoo reproduce " + name + ": " + (identical ? "the weights match the shipped ones bit for"
        + " bit" : "the weights differ from the shipped ones"));
    return identical ? 0 : ZooVerifyCommand.MISMATCH;
  }
}
