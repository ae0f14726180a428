package dev.kiln.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.TaskProvider;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model-zoo digit classifier recipe, trained from scratch, clears 95 % on the held-out digits. */
class DigitClassifierTest {

  @TempDir
  Path dir;

  @Test
  void zooRecipeReachesNinetyFivePercentTestAccuracy() throws Exception {
    Recipe recipe = Recipe.read(Path.of("../../model-zoo/digit-classifier/recipe.json"));
    Map<String, TaskProvider<?>> tasks = Map.of("classification", new ClassificationTaskProvider());
    Map<String, ArchitectureProvider<?>> archs = Map.of("mlp-classifier", new MlpClassifierProvider());
    TrainingRun run = new TrainingRun(new OrtBackend(BackendOptions.cpu(2)), tasks, archs);
    Trainer.Result r = run.train(recipe, dir, System.out);
    assertThat(r.lastEval().get("test_accuracy")).isGreaterThanOrEqualTo(0.95);
  }
}
