package dev.kiln.train;

/**
 * The training loop's settings, as a recipe's {@code "trainer"} section writes them.
 *
 * @param steps optimizer steps in the whole run
 * @param logEvery steps between metrics-log lines and progress lines
 * @param evalEvery steps between evaluation hooks (0: only at the end)
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param checkpointSeconds seconds of training between checkpoints as well (default 60; 0: steps only), so a
 *     killed run loses at most about that much work whatever {@code checkpointEvery} says
 * @param clipGradNorm clip gradients to this global L2 norm (0: off)
 * @param emaDecay keep an exponential moving average of the weights with this decay (0: off)
 */
public record TrainerConfig(Long steps, Integer logEvery, Integer evalEvery, Integer checkpointEvery,
    Double clipGradNorm, Double emaDecay, Double checkpointSeconds) {

  /** Seconds between time-interval checkpoints when a recipe does not say. */
  public static final double DEFAULT_CHECKPOINT_SECONDS = 60;

  public TrainerConfig {
    if (steps == null || steps < 1) {
      throw new IllegalArgumentException("trainer field `steps` must be >= 1, got " + steps);
    }
    logEvery = logEvery == null ? (int) Math.max(1, Math.min(100, steps / 20)) : logEvery;
    evalEvery = evalEvery == null ? 0 : evalEvery;
    checkpointEvery = checkpointEvery == null ? 0 : checkpointEvery;
    clipGradNorm = clipGradNorm == null ? 0.0 : clipGradNorm;
    emaDecay = emaDecay == null ? 0.0 : emaDecay;
    checkpointSeconds = checkpointSeconds == null ? DEFAULT_CHECKPOINT_SECONDS : checkpointSeconds;
    if (!(checkpointSeconds >= 0) || checkpointSeconds.isInfinite()) {
      throw new IllegalArgumentException("trainer field `checkpoint_seconds` must be a finite number >= 0 (0: off),"
          + " got " + checkpointSeconds);
    }
    if (!Double.isFinite(clipGradNorm) || !Double.isFinite(emaDecay)) {
      throw new IllegalArgumentException("trainer fields `clip_grad_norm` and `ema_decay` must be finite numbers, got "
          + clipGradNorm + " and " + emaDecay);
    }
    if (logEvery < 1) {
      throw new IllegalArgumentException("trainer field `log_every` must be >= 1, got " + logEvery);
    }
    if (evalEvery < 0 || checkpointEvery < 0) {
      throw new IllegalArgumentException("trainer fields `eval_every` and `checkpoint_every` must be >= 0");
    }
    if (clipGradNorm < 0) {
      throw new IllegalArgumentException("trainer field `clip_grad_norm` must be >= 0, got " + clipGradNorm);
    }
    if (emaDecay != 0 && (emaDecay <= 0 || emaDecay >= 1)) {
      throw new IllegalArgumentException("trainer field `ema_decay` must be 0 (off) or in (0, 1), got " + emaDecay);
    }
  }

  /** {@code steps} steps, logging 20 times, no evaluation hooks, clipping or EMA. */
  public static TrainerConfig steps(long steps) {
    return new TrainerConfig(steps, null, null, null, null, null, null);
  }

  public TrainerConfig withCheckpointEvery(int n) {
    return new TrainerConfig(steps, logEvery, evalEvery, n, clipGradNorm, emaDecay, checkpointSeconds);
  }

  public TrainerConfig withEvalEvery(int n) {
    return new TrainerConfig(steps, logEvery, n, checkpointEvery, clipGradNorm, emaDecay, checkpointSeconds);
  }

  public TrainerConfig withClipGradNorm(double c) {
    return new TrainerConfig(steps, logEvery, evalEvery, checkpointEvery, c, emaDecay, checkpointSeconds);
  }

  public TrainerConfig withEma(double d) {
    return new TrainerConfig(steps, logEvery, evalEvery, checkpointEvery, clipGradNorm, d, checkpointSeconds);
  }

  public TrainerConfig withLogEvery(int n) {
    return new TrainerConfig(steps, n, evalEvery, checkpointEvery, clipGradNorm, emaDecay, checkpointSeconds);
  }
}
