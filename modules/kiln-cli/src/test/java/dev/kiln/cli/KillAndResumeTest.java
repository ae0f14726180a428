package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.train.Checkpoint;
import dev.kiln.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL mid-run and resumed from its run folder ends with exactly
 * the weights of an uninterrupted run.
 */
class KillAndResumeTest {

  @TempDir
  Path dir;

  private static final String RECIPE = """
      {"name": "kill", "seed": 4,
       "task": {"type": "diffusion", "data": "swissroll", "batch_size": 128},
       "architecture": {"type": "mlp-denoiser", "hidden": 64, "depth": 2},
       "optimizer": {"type": "adamw", "lr": 0.002},
       "schedule": {"type": "cosine", "warmup_steps": 50},
       "trainer": {"steps": 2000, "log_every": 100, "checkpoint_every": 200, "ema_decay": 0.99, "clip_grad_norm": 1.0}}
      """;

  @Test
  void killedRunResumesToTheWeightsOfAnUninterruptedRun() throws Exception {
    Path recipe = dir.resolve("recipe.json");
    Files.writeString(recipe, RECIPE);
    Path straight = dir.resolve("straight");
    assertThat(KilnCommand.run("train", recipe.toString(), "-o", straight.toString(), "--threads", "2")).isZero();

    Path killed = dir.resolve("killed");
    Path log = dir.resolve("killed.log");
    Process p = launch(log, "train", recipe.toString(), "-o", killed.toString(), "--threads", "2");
    Path ckpt = killed.resolve(Trainer.CHECKPOINT);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(ckpt).as("checkpoint of the killed run; its output:%n%s", Files.readString(log)).exists();
    long stoppedAt = Checkpoint.read(ckpt).step();
    assertThat(stoppedAt).as("the process was killed before finishing").isLessThan(2000);

    assertThat(KilnCommand.run("train", recipe.toString(), "-o", killed.toString(), "--threads", "2")).isZero();
    Checkpoint a = Checkpoint.read(straight.resolve(Trainer.CHECKPOINT));
    Checkpoint b = Checkpoint.read(ckpt);
    assertThat(b.step()).isEqualTo(2000);
    assertThat(b.weights().contentEquals(a.weights())).as("weights after kill at step %d and resume", stoppedAt)
        .isTrue();
    assertThat(b.ema().contentEquals(a.ema())).as("EMA weights after resume").isTrue();
  }

  /** The kiln command in a separate JVM on this test's module path. */
  static Process launch(Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dguice_bytecode_gen_option=DISABLED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("--module-path");
    cmd.add(System.getProperty("jdk.module.path"));
    cmd.add("-m");
    cmd.add("dev.kiln.cli/dev.kiln.cli.KilnCommand");
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
