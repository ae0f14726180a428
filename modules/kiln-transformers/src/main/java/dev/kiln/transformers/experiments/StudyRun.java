package dev.kiln.transformers.experiments;

import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One model of a study trained from scratch in its run folder (a checkpoint left by an earlier study
 * is removed rather than resumed), with its wall time, built parts and parameter count.
 *
 * @param result what training produced
 * @param built the recipe's task, architecture and graph (for evaluation with the trained weights)
 * @param seconds training wall time
 * @param parameters trainable parameters
 */
record FreshRun(Trainer.Result result, TrainingRun.Built built, double seconds, long parameters) {

  static FreshRun train(TrainingRun training, Recipe recipe, Path dir, PrintStream log) throws IOException {
    Files.deleteIfExists(dir.resolve(Trainer.CHECKPOINT));
    Files.deleteIfExists(dir.resolve(Trainer.METRICS));
    long t0 = System.nanoTime();
    Trainer.Result r = training.train(recipe, dir, log);
    double secs = (System.nanoTime() - t0) / 1e9;
    TrainingRun.Built b = training.build(recipe);
    long params = b.graph().trainableParameters().stream().mapToLong(p -> p.shape().size()).sum();
    return new FreshRun(r, b, secs, params);
  }
}
