package dev.kiln.cli;

import com.google.inject.Injector;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Task;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a zoo card's evaluation on the model its folder ships. */
final class ZooEvaluation {

  private ZooEvaluation() {}

  /**
   * The numbers {@code card.evaluation()} measures on {@code folder}'s model. {@code training} builds
   * a task evaluation's task from the recipe in the model's metadata; {@code inference} resolves samplers;
   * a tool evaluation runs on {@code threads} ONNX Runtime threads.
   */
  static Map<String, Double> measure(Path folder, ZooCard card, Injector training, Injector inference, int threads)
      throws IOException {
    ZooCard.Evaluation e = card.evaluation();
    Path model = folder.resolve(e.model());
    return switch (e.kind()) {
      case SAMPLE_QUALITY -> sampleQuality(model, e, inference);
      case TASK -> task(model, e, training);
      case TOOL -> ToolTraining.evaluate(folder, card, threads, System.err);
      case FIELD_QUALITY -> FieldZooEvaluation.measure(model, e, inference);
    };
  }

  /** What {@code kiln eval MODEL --sampler … --steps … -n … --seed … --set …} prints, as numbers. */
  private static Map<String, Double> sampleQuality(Path model, ZooCard.Evaluation e, Injector injector)
      throws IOException {
    OrtBackend backend = injector.getInstance(OrtBackend.class);
    try (GenerativeModel m = GenerativeModel.load(model, backend)) {
      DiffusionTask task = Sampling.task(m);
      Sampling.Drawn d = Sampling.plan(injector, m, e.sampler(), e.settings(), e.steps(), e.count(), e.seed(), null,
          e.guidance()).draw(e.count(), null, null);
      return new LinkedHashMap<>(Sampling.quality(task, backend, d, e.seed()));
    }
  }

  /** The training task's own evaluation ({@link Task#evaluate}) with the exported model in place of the live graph. */
  private static Map<String, Double> task(Path model, ZooCard.Evaluation e, Injector injector) throws IOException {
    OrtBackend backend = injector.getInstance(OrtBackend.class);
    Map<String, String> metadata = dev.kiln.graph.onnx.ModelReader.read(model).metadata();
    String recipe = metadata.get("recipe");
    if (recipe == null) {
      throw new ConfigException(model + ": metadata holds no `recipe`, so its task cannot be rebuilt; export it"
          + " with `kiln export`");
    }
    Task task = injector.getInstance(TrainingRun.class).build(Recipe.parse(recipe, model + " (its recipe)")).task();
    try (Session s = backend.load(model)) {
      Map<String, Double> measured = task.evaluate(e.seed(), s::run);
      if (measured.isEmpty()) {
        throw new ConfigException(model + ": its task (" + Recipe.parse(recipe, model.toString()).type("task")
            + ") has no evaluation of its own; use a sample-quality evaluation");
      }
      // A task's own order where it keeps one; sorted where it does not (Map.of's order changes from run to run).
      return measured instanceof LinkedHashMap ? new LinkedHashMap<>(measured) : new java.util.TreeMap<>(measured);
    }
  }
}
