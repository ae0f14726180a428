package dev.kiln.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Losses;
import dev.kiln.nn.Mlp;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  @TempDir
  Path dir;

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final long SEED = 11;

  /** Regress y = sin(3x₁) + x₂² with a small MLP. */
  private static TrainGraph regression() {
    Graph g = new Graph("regression");
    Value x = g.input("x", Shape.batched("N", 2));
    Value y = g.input("y", Shape.batched("N", 1));
    Value pred = new Mlp("mlp", new long[] {2, 32, 32, 1}, Activation.SILU, false).apply(g, x);
    Value loss = Losses.mse(g, pred, y);
    return TrainGraph.of(g, loss, Map.of("mean_abs_error", g.meanAll(g.abs(g.sub(pred, y)))));
  }

  private static void fill(long step, Map<String, Tensor> feeds) {
    SplittableRandom rng = Seeds.rng(SEED, "batch", step);
    FloatBuffer x = feeds.get("x").floats();
    FloatBuffer y = feeds.get("y").floats();
    for (int i = 0; i < y.capacity(); i++) {
      float a = (float) (rng.nextDouble() * 2 - 1);
      float b = (float) (rng.nextDouble() * 2 - 1);
      x.put(2 * i, a).put(2 * i + 1, b);
      y.put(i, (float) (Math.sin(3 * a) + b * b));
    }
  }

  private Trainer.Result train(Path runDir, TrainerConfig cfg, Trainer.BatchSource data) throws Exception {
    TrainGraph tg = regression();
    Weights w = Weights.initialize(tg.graph(), SEED);
    try (TrainStep step = TrainStep.compile(tg, CPU, Map.of("N", 64L), w)) {
      return new Trainer(step, OptimizerConfig.adamw(3e-3, 0.01), LrSchedule.cosine(20, 0.1), cfg, data, runDir,
          SEED, Map.of("recipe", "test")).progress(null, "test").fit();
    }
  }

  @Test
  void lossFallsAndTheMetricsLogHasEveryLoggedStep() throws Exception {
    Trainer.Result r = train(dir, TrainerConfig.steps(2400).withLogEvery(200).withEma(0.99), TrainerTest::fill);
    var rows = MetricsLog.read(dir.resolve(Trainer.METRICS));
    assertThat(rows).hasSize(12);
    double first = rows.get(0).get("loss").asDouble();
    assertThat(r.finalLoss()).isLessThan(first / 10);
    assertThat(rows.get(11).get("mean_abs_error").asDouble()).isLessThan(0.1);
    assertThat(r.ema()).isNotNull();
    assertThat(r.diverged()).isFalse();
  }

  @Test
  void sameSeedGivesBitIdenticalWeights() throws Exception {
    TrainerConfig cfg = TrainerConfig.steps(100).withClipGradNorm(1.0);
    Weights a = train(dir.resolve("a"), cfg, TrainerTest::fill).weights();
    Weights b = train(dir.resolve("b"), cfg, TrainerTest::fill).weights();
    assertThat(a.contentEquals(b)).isTrue();
  }

  @Test
  void resumingAfterACrashEndsWithTheSameWeightsAsAnUninterruptedRun() throws Exception {
    TrainerConfig cfg = TrainerConfig.steps(120).withCheckpointEvery(25).withEma(0.9).withClipGradNorm(2.0)
        .withLogEvery(10);
    Weights uninterrupted = train(dir.resolve("straight"), cfg, TrainerTest::fill).weights();
    Path run = dir.resolve("crashed");
    Trainer.BatchSource crashing = (step, feeds) -> {
      if (step == 63) {
        throw new IllegalStateException("simulated crash at step 63");
      }
      fill(step, feeds);
    };
    assertThatThrownBy(() -> train(run, cfg, crashing)).hasMessageContaining("simulated crash");
    assertThat(Checkpoint.read(run.resolve(Trainer.CHECKPOINT)).step()).isEqualTo(50);
    Trainer.Result resumed = train(run, cfg, TrainerTest::fill);
    assertThat(resumed.weights().contentEquals(uninterrupted)).isTrue();
    assertThat(MetricsLog.read(run.resolve(Trainer.METRICS))).extracting(n -> n.get("step").asLong())
        .containsExactly(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L, 110L, 120L);
  }

  @Test
  void checkpointsRoundTripAndNoTemporaryFilesRemain() throws Exception {
    train(dir, TrainerConfig.steps(30).withCheckpointEvery(10).withEma(0.9), TrainerTest::fill);
    Checkpoint c = Checkpoint.read(dir.resolve(Trainer.CHECKPOINT));
    assertThat(c.step()).isEqualTo(30);
    assertThat(c.seed()).isEqualTo(SEED);
    assertThat(c.metadata()).containsEntry("recipe", "test");
    assertThat(c.optimizerState()).containsKey("exp_avg/mlp.0.weight");
    assertThat(c.ema().asMap()).containsKey("mlp.2.bias");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void aSeedMismatchOnResumeIsRefused() throws Exception {
    train(dir, TrainerConfig.steps(5), TrainerTest::fill);
    TrainGraph tg = regression();
    try (TrainStep step = TrainStep.compile(tg, CPU, Map.of("N", 64L), Weights.initialize(tg.graph(), 1))) {
      Trainer t = new Trainer(step, OptimizerConfig.adam(1e-3), LrSchedule.constant(), TrainerConfig.steps(10),
          TrainerTest::fill, dir, 999, Map.of()).progress(null, "x");
      assertThatThrownBy(t::fit).hasMessageContaining("seed 11").hasMessageContaining("seed 999");
    }
  }

  @Test
  void divergenceStopsTheRunAndIsReported() throws Exception {
    TrainGraph tg = regression();
    try (TrainStep step = TrainStep.compile(tg, CPU, Map.of("N", 64L), Weights.initialize(tg.graph(), 1))) {
      Trainer.Result r = new Trainer(step, OptimizerConfig.sgd(1e6, 0.0, false), LrSchedule.constant(),
          TrainerConfig.steps(200), TrainerTest::fill, dir, 1, Map.of()).progress(null, "x").fit();
      assertThat(r.diverged()).isTrue();
      assertThat(r.steps()).isLessThan(200);
    }
  }
}
