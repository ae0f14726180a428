package dev.kiln.experiments.hyperut;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Configs;
import dev.kiln.train.Checkpoint;
import dev.kiln.inference.ForwardSession;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One model of a study, trained in its run folder, or reused when the folder holds a finished run of
 * the same recipe (so a study can be re-scored and re-timed without training again). A folder with
 * an unfinished or different run is trained afresh.
 *
 * @param weights the trained weights
 * @param lastEval the task's evaluation of the trained model
 * @param built the recipe's task, architecture and graph
 * @param seconds training wall time (of the original run when reused)
 * @param finalLoss mean training loss over the last logging window
 * @param parameters trainable parameters
 * @param reused whether the run was reused
 */
record StudyRun(Weights weights, Map<String, Double> lastEval, TrainingRun.Built built, double seconds,
    double finalLoss, long parameters, boolean reused) {

  static StudyRun trainOrReuse(TrainingRun training, OrtBackend backend, Recipe recipe, Path dir, PrintStream log)
      throws IOException {
    TrainingRun.Built b = training.build(recipe);
    long params = b.graph().trainableParameters().stream().mapToLong(p -> p.shape().size()).sum();
    StudyRun reused = reuse(backend, recipe, dir, b, params);
    if (reused != null) {
      log.println("reusing the finished run in " + dir);
      return reused;
    }
    Files.deleteIfExists(dir.resolve(Trainer.CHECKPOINT));
    Files.deleteIfExists(dir.resolve(Trainer.METRICS));
    long t0 = System.nanoTime();
    Trainer.Result r = training.train(recipe, dir, log);
    double secs = (System.nanoTime() - t0) / 1e9;
    return new StudyRun(r.weights(), r.lastEval(), b, secs, r.finalLoss(), params, false);
  }

  private static StudyRun reuse(OrtBackend backend, Recipe recipe, Path dir, TrainingRun.Built b, long params)
      throws IOException {
    Path ckpt = dir.resolve(Trainer.CHECKPOINT);
    Path written = dir.resolve(TrainingRun.RECIPE);
    Path metrics = dir.resolve(Trainer.METRICS);
    if (!Files.exists(ckpt) || !Files.exists(written) || !Files.exists(metrics)
        || !Configs.mapper().readTree(Files.readString(written)).equals(recipe.json())) {
      return null;
    }
    Checkpoint c = Checkpoint.read(ckpt);
    if (c.step() != recipe.trainer().steps() || c.seed() != recipe.seed()) {
      return null;
    }
    double loss = Double.NaN;
    double rate = Double.NaN;
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      JsonNode n = line.isBlank() ? null : Configs.mapper().readTree(line);
      if (n != null && n.has("loss") && n.has("it_per_s")) {
        loss = n.get("loss").asDouble();
        rate = n.get("it_per_s").asDouble();
      }
    }
    String[] outputs = b.task().exportOutputs(b.architecture()).toArray(new String[0]);
    try (ForwardSession fs = ForwardSession.compile(b.graph(), backend, c.weights(), outputs)) {
      Map<String, Double> eval = b.task().evaluate(recipe.seed(), fs::run);
      return new StudyRun(c.weights(), eval, b, c.step() / rate, loss, params, true);
    }
  }
}
