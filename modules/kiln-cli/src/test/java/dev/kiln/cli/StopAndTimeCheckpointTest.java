package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.train.Checkpoint;
import dev.kiln.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with no step-interval checkpoints still checkpoints on the clock, and SIGTERM stops it with a
 * checkpoint of the step it reached, which a second {@code kiln train} resumes to the end.
 */
class StopAndTimeCheckpointTest {

  @TempDir
  Path dir;

  @Test
  void sigtermSavesACheckpointAfterTimeCheckpointsAndTheRunResumes() throws Exception {
    Path recipe = dir.resolve("recipe.json");
    Files.writeString(recipe, """
        {"name": "term", "seed": 2, "task": {"type": "diffusion", "data": "moons", "batch_size": 32},
         "architecture": {"type": "mlp-denoiser", "hidden": 16, "depth": 1},
         "trainer": {"steps": 1000000, "log_every": 1000, "checkpoint_every": 0, "checkpoint_seconds": 0.5}}
        """);
    Path run = dir.resolve("run");
    Path log = dir.resolve("term.log");
    Process p = KillAndResumeTest.launch(log, "train", recipe.toString(), "-o", run.toString(), "--threads", "1");
    Path ckpt = run.resolve(Trainer.CHECKPOINT);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ckpt).as("a checkpoint on the clock; output:%n%s", Files.readString(log)).exists();
    long onTheClock = Checkpoint.read(ckpt).step();
    // A second checkpoint on the clock, at a later step: the run keeps checkpointing and is making progress.
    long later = onTheClock;
    while (later == onTheClock && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      later = Checkpoint.read(ckpt).step();
    }
    assertThat(later).as("a later checkpoint on the clock").isGreaterThan(onTheClock);
    p.destroy();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(out).contains("stopped at step").contains("checkpoint saved").doesNotContain("\tat ");
    long stoppedAt = Checkpoint.read(ckpt).step();
    assertThat(stoppedAt).isGreaterThanOrEqualTo(later).isLessThan(1_000_000);
    assertThat(out).contains("term stopped at step " + stoppedAt + "/1000000");

    Cli.Run r = Cli.run("train", recipe.toString(), "-o", run.toString(), "--threads", "1", "--set",
        "trainer.steps=" + (stoppedAt + 5), "--allow-recipe-change");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("resumed after step " + stoppedAt);
    assertThat(r.err()).contains("trainer.steps is 1000000 there, " + (stoppedAt + 5) + " here");
    assertThat(Checkpoint.read(ckpt).step()).isEqualTo(stoppedAt + 5);
    assertThat(Files.readString(run.resolve("recipe-changes.jsonl"))).contains("\"step\":" + stoppedAt);
  }
}
