package dev.kiln.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.inference.ForwardSession;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import dev.kiln.transformers.tasks.CpvrTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cpvr task trains adaptive-depth models through a recipe and exports what it trained. */
class CpvrTrainingTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));

  @TempDir
  Path dir;

  private static Recipe recipe(String architecture, long steps) {
    return Recipe.parse("""
        {"name": "tiny", "seed": 3,
         "task": {"type": "cpvr", "length": 6, "train_hops": [1], "test_hops": [1, 2], "batch_size": 32,
                  "test_examples": 50},
         "architecture": %s,
         "optimizer": {"type": "adamw", "lr": 0.003},
         "trainer": {"steps": %d, "log_every": 10}}
        """.formatted(architecture, steps), "tiny.json");
  }

  /** Training with the C-PVR task and the three sequence models. */
  private static TrainingRun training() {
    return new TrainingRun(CPU, java.util.Map.of("cpvr", new dev.kiln.transformers.tasks.CpvrTaskProvider()),
        java.util.Map.of("transformer-encoder", new dev.kiln.transformers.model.TransformerEncoderProvider(),
            "universal-transformer", new dev.kiln.transformers.model.UniversalTransformerProvider(),
            "hyper-ut", new dev.kiln.transformers.model.HyperUtProvider()));
  }

  @Test
  void hyperUtLearnsOneHopRetrievalAndReportsPerHopMetrics() throws Exception {
    Recipe r = recipe("{\"type\": \"hyper-ut\", \"length\": 6, \"dim\": 16, \"heads\": 2, \"ffn\": 32,"
        + " \"max_steps\": 3, \"pool_size\": 3, \"router_heads\": 2, \"router_dim\": 8}", 300);
    Trainer.Result result = training().train(r, dir, null);
    assertThat(result.diverged()).isFalse();
    // Chance is at most 1/2 per example (label uniform in 0..p1 with p1 >= 1), about 0.3 on average.
    assertThat(result.lastEval().get("accuracy_hops_1")).as("%s", result.lastEval()).isGreaterThan(0.6);
    assertThat(result.lastEval()).containsKeys("accuracy_hops_2", "steps_hops_1", "steps_hops_2",
        "accuracy_seen_hops", "accuracy_unseen_hops");
    assertThat(result.lastEval().get("steps_hops_1")).isBetween(1.0, 3.0);
  }

  @Test
  void exportedModelMatchesTheTrainingGraph() throws Exception {
    Recipe r = recipe("{\"type\": \"universal-transformer\", \"length\": 6, \"dim\": 16, \"heads\": 2,"
        + " \"ffn\": 32, \"max_steps\": 3}", 5);
    TrainingRun run = training();
    Trainer.Result result = run.train(r, dir, null);
    Path model = run.export(dir, dir.resolve("model.onnx"), false);
    TrainingRun.Built b = run.build(r);
    CpvrTask task = (CpvrTask) b.task();
    Map<String, Tensor> in = Map.of("tokens", task.tokens(task.testSet(2), 0, 20));
    try (Session served = CPU.load(model);
        ForwardSession training = ForwardSession.compile(b.graph(), CPU, result.weights(), "logits", "steps")) {
      Map<String, Tensor> a = served.run(in);
      Map<String, Tensor> e = training.run(in);
      for (String out : List.of("logits", "steps")) {
        for (int i = 0; i < e.get(out).size(); i++) {
          assertThat(a.get(out).get(i)).isCloseTo(e.get(out).get(i), within(1e-5));
        }
      }
    }
  }

  @Test
  void architectureOfAnotherLengthIsRejectedByName() {
    Recipe r = recipe("{\"type\": \"transformer-encoder\", \"length\": 7, \"dim\": 8, \"heads\": 2}", 5);
    assertThatThrownBy(() -> training().build(r)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("tokens").hasMessageContaining("length");
  }
}
