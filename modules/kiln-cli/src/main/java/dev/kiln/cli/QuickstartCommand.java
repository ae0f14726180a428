package dev.kiln.cli;

import com.google.inject.Injector;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ConfigException;
import dev.kiln.train.Recipe;
import dev.kiln.train.RunFolder;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kiln quickstart}: train, export and sample the embedded 8-Gaussians diffusion recipe. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = {"Train a small diffusion model on the embedded default (8 Gaussians,",
        "model-zoo/quickstart-8gaussians/recipe.json), export it to ONNX, sample it with DDIM through",
        "ONNX Runtime, and write samples.png plus a metrics line. Always trains from scratch."})
public final class QuickstartCommand implements Callable<Integer> {

  static final String RECIPE = "recipe.json";

  @Option(names = {"-o", "--run-dir"}, paramLabel = "DIR", description = "run folder (default: ${DEFAULT-VALUE})")
  Path runDir = Path.of("runs", "quickstart");

  @Mixin
  RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    Recipe recipe = Recipe.parse(embedded(), "quickstart recipe (model-zoo/quickstart-8gaussians/recipe.json)");
    // The quickstart always trains from scratch; its run folder is its own, never another run's.
    var before = RunFolder.trainedRecipe(runDir);
    if (before != null) {
      List<String> diff = RunFolder.differences(before, recipe.json());
      if (!diff.isEmpty()) {
        throw new ConfigException("run folder " + runDir + " holds another run (" + diff.get(0) + (diff.size() > 1
            ? ", and " + (diff.size() - 1) + " more" : "") + "); the quickstart trains from scratch and would replace"
            + " its checkpoint: choose another folder (-o) or delete that one");
      }
      System.err.println("quickstart: replacing the earlier quickstart run in " + runDir);
    }
    Outputs.requireWritableFolder(runDir, "-o " + runDir);
    java.nio.file.Files.deleteIfExists(runDir.resolve(Trainer.CHECKPOINT));
    java.nio.file.Files.deleteIfExists(runDir.resolve(Trainer.METRICS));
    Injector injector = runtime.injector();
    TrainingRun run = injector.getInstance(TrainingRun.class);
    Trainer.Result r = run.train(recipe, runDir, System.err);
    Path model = run.export(runDir, runDir.resolve("model.onnx"), true);
    OrtBackend backend = injector.getInstance(OrtBackend.class);
    var sample = recipe.section("sample");
    var samplerSection = recipe.section("sampler").deepCopy();
    String samplerName = ((com.fasterxml.jackson.databind.node.ObjectNode) samplerSection).remove("type").asText();
    int steps = sample.path("steps").asInt(50);
    int count = sample.path("count").asInt(2000);
    long seed = recipe.seed();
    try (GenerativeModel m = GenerativeModel.load(model, backend)) {
      Sampling.Plan plan = Sampling.plan(injector, m, samplerName, samplerSection, steps, count, seed, null, 1.0);
      Path png = runDir.resolve("samples.png");
      Sampling.Drawn d = Sampling.drawAndWrite(plan, Sampling.task(m), png, runDir.resolve("samples.safetensors"),
          System.err);
      Map<String, Double> q = Sampling.quality(Sampling.task(m), backend, d, seed);
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "quickstart: trained %d steps (final loss %.4f), exported %s, sampled %d points"
          + " with %s %d steps in %.2f s: %s; wrote %s; total %.0f s%n", r.steps(), r.finalLoss(), model, count,
          samplerName, steps, d.seconds(), Sampling.line(q), png, secs);
    }
    return 0;
  }

  static String embedded() throws IOException {
    try (InputStream in = QuickstartCommand.class.getResourceAsStream(RECIPE)) {
      if (in == null) {
        throw new IllegalStateException("quickstart recipe missing from the kiln-cli jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
