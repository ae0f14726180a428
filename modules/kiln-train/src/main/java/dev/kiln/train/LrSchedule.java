package dev.kiln.train;

import java.util.Locale;

/**
 * Learning-rate multiplier by step: {@code constant}, linear {@code warmup} then constant, or
 * {@code cosine} decay after a linear warm-up ({@code "schedule": {"type": "cosine", "warmup_steps":
 * 200, "min_ratio": 0.0}}).
 *
 * @param type constant, warmup or cosine
 * @param warmupSteps steps of linear warm-up from 0
 * @param minRatio the cosine floor as a fraction of the peak
 */
public record LrSchedule(String type, Integer warmupSteps, Double minRatio) {

  public LrSchedule {
    type = type == null ? "constant" : type.toLowerCase(Locale.ROOT);
    if (!type.equals("constant") && !type.equals("warmup") && !type.equals("cosine")) {
      throw new IllegalArgumentException("schedule `type` must be constant, warmup or cosine, got `" + type + "`");
    }
    warmupSteps = warmupSteps == null ? 0 : warmupSteps;
    minRatio = minRatio == null ? 0.0 : minRatio;
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("schedule field `warmup_steps` must be >= 0, got " + warmupSteps);
    }
    if (minRatio < 0 || minRatio > 1) {
      throw new IllegalArgumentException("schedule field `min_ratio` must be in [0, 1], got " + minRatio);
    }
  }

  public static LrSchedule constant() {
    return new LrSchedule("constant", 0, 0.0);
  }

  public static LrSchedule cosine(int warmupSteps, double minRatio) {
    return new LrSchedule("cosine", warmupSteps, minRatio);
  }

  /** The multiplier for 1-based step {@code step} of {@code total}. */
  public double factor(long step, long total) {
    if (warmupSteps > 0 && step <= warmupSteps && !type.equals("constant")) {
      return (double) step / warmupSteps;
    }
    if (!type.equals("cosine")) {
      return 1.0;
    }
    double span = Math.max(1, total - warmupSteps);
    double progress = Math.min(1.0, (step - warmupSteps) / span);
    return minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
