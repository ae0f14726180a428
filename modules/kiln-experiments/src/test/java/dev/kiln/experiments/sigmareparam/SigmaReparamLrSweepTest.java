package dev.kiln.experiments.sigmareparam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.experiments.sigmareparam.SigmaReparamLrSweep.Arm;
import dev.kiln.experiments.sigmareparam.SigmaReparamLrSweep.Variant;
import dev.kiln.graph.Value;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.text.CharLmTaskProvider;
import dev.kiln.text.lm.TransformerLmProvider;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import dev.kiln.transformers.model.VitProvider;
import dev.kiln.transformers.tasks.PonderClassificationTaskProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigmaReparamLrSweepTest {

  @TempDir
  Path dir;

  private static final TrainingRun TRAINING = new TrainingRun(new OrtBackend(BackendOptions.cpu(1)),
      Map.of("char-lm", new CharLmTaskProvider(), "ponder-classification", new PonderClassificationTaskProvider()),
      Map.of("transformer-lm", new TransformerLmProvider(), "vit", new VitProvider()));

  private static Arm arm(String id) {
    return SigmaReparamLrSweep.ARMS.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
  }

  private static final Variant SIGMA = SigmaReparamLrSweep.VARIANTS.get(2);

  @Test
  void vitArmReparametrisesEveryLinearLayerAndDropsLayerNorm() {
    Recipe r = SigmaReparamLrSweep.recipe(arm("vit-adam"), SIGMA, 1e-2, 10, 5, 1);
    List<String> params = TRAINING.build(r).graph().trainableParameters().stream().map(Value::name).toList();
    long weights = params.stream().filter(n -> n.endsWith(".weight") && !n.contains("norm")).count();
    long gammas = params.stream().filter(n -> n.endsWith(".gamma")).count();
    assertThat(weights).as("linear weights of the ViT").isGreaterThanOrEqualTo(4L * 6);
    assertThat(gammas).as("one σReparam γ per linear weight").isEqualTo(weights);
    assertThat(params).noneMatch(n -> n.contains("norm"));
  }

  @Test
  void sgdArmUsesMomentumAndEveryArmRunsThreeSeeds() {
    Recipe r = SigmaReparamLrSweep.recipe(arm("lm-sgd"), SIGMA, 0.3, 10, 5, 2);
    assertThat(r.section("optimizer").path("type").asText()).isEqualTo("sgd");
    assertThat(r.section("optimizer").path("momentum").asDouble()).isEqualTo(0.9);
    assertThat(r.section("schedule").path("type").asText()).isEqualTo("constant");
    assertThat(r.seed()).isEqualTo(2);
    assertThat(SigmaReparamLrSweep.SEEDS).isEqualTo(3);
  }

  @Test
  void readsTheVitTestErrorAndLeavesItsEntropyUnlogged() throws Exception {
    Path metrics = dir.resolve("metrics.jsonl");
    Files.writeString(metrics, """
        {"step": 10, "loss": 2.1, "it_per_s": 5.0}
        {"step": 20, "loss": 1.5, "it_per_s": 4.0}
        {"step": 20, "test_accuracy": 0.875}
        """, StandardCharsets.UTF_8);
    SweepRun run = SigmaReparamLrSweep.read(arm("vit-adam"), "pre-ln", 1e-3, 0, metrics);
    assertThat(run.heldOut()).isCloseTo(0.125, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(run.finalLoss()).isEqualTo(1.5);
    assertThat(run.stepsRun()).isEqualTo(20);
    assertThat(run.minEntropy()).isNaN();
    assertThat(run.stuck(4.9)).isFalse();
    assertThat(new SweepRun("vit-adam", "pre-ln", 1e-3, 0, false, 20, 2.3, 0.85, Double.NaN, 1, new double[0],
        new double[0], new double[0][]).stuck(4.9)).as("test error near chance").isTrue();
  }

  @Test
  void aRunIsClaimedByOneLiveProcessAndTakenOverFromADeadOne() throws Exception {
    Path run = dir.resolve("runs").resolve("a");
    assertThat(SigmaReparamLrSweep.claim(run)).as("free run").isTrue();
    assertThat(SigmaReparamLrSweep.claim(run)).as("held by this process: still its own").isTrue();
    Path claim = run.resolve(SigmaReparamLrSweep.CLAIM);
    long parent = ProcessHandle.current().parent().orElseThrow().pid();
    Files.writeString(claim, Long.toString(parent), StandardCharsets.US_ASCII);
    assertThat(SigmaReparamLrSweep.claim(run)).as("held by a live process").isFalse();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(claim, Long.toString(gone.pid()), StandardCharsets.US_ASCII);
    assertThat(SigmaReparamLrSweep.claim(run)).as("held by a process that has exited").isTrue();
    assertThat(Files.readString(claim, StandardCharsets.US_ASCII).trim())
        .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    Files.writeString(claim, "not a pid", StandardCharsets.US_ASCII);
    assertThat(SigmaReparamLrSweep.claim(run)).as("an unreadable claim").isTrue();
  }
}
