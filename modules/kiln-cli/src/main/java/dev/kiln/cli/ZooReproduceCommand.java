package dev.kiln.cli;

import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.spi.ConfigException;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        "recipe may name a file of the zoo (a BOOT teacher). A file a method's tool trains is retrained by that tool",
        "from the folder's config and the card's seed. Exit 0 when every file matches bit for bit, 1 otherwise."})
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
    Map<ZooCard.Trained, Path> toolRuns = new LinkedHashMap<>();
    for (ZooCard.Trained t : card.models()) {
      Path shipped = folder.resolve(t.file());
      long start = System.nanoTime();
      Path retrained;
      Path runDir;
      if (t.byTool()) {
        ZooCard.Trained done = toolRuns.keySet().stream().filter(t::sameRun).findFirst().orElse(null);
        if (done == null) {
          runDir = dir.resolve(t.file().substring(0, t.file().length() - ".onnx".length()));
          ToolTraining.train(folder, t, runDir, runtime.threads, System.err);
          ToolTraining.export(t, runDir, runDir.resolve("export"), System.err);
          toolRuns.put(t, runDir);
        } else {
          runDir = toolRuns.get(done);
        }
        retrained = runDir.resolve("export").resolve(t.file());
      } else {
        Recipe recipe = Recipe.read(folder.resolve(t.recipe()));
        String trainedWith = ModelReader.read(shipped).metadata().get("recipe");
        if (trainedWith == null || !Recipe.parse(trainedWith, shipped.toString()).json().equals(recipe.json())) {
          System.out.printf("%s: note: the shipped file's recipe %s %s%n", t.file(),
              trainedWith == null ? "is not recorded, so it may differ from" : "differs from", t.recipe());
        }
        String stem = t.file().substring(0, t.file().length() - ".onnx".length());
        runDir = dir.resolve(stem);
        run.train(recipe, runDir, System.err);
        retrained = run.export(runDir, runDir.resolve("model.onnx"), true);
      }
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
