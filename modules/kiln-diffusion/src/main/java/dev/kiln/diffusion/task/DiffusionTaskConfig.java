package dev.kiln.diffusion.task;

import dev.kiln.spi.process.ScheduleConfig;

/**
 * The diffusion task as a recipe writes it: {@code "task": {"type": "diffusion", "data": "8gaussians",
 * "batch_size": 256, "schedule": {"beta_schedule": "linear", "prediction_type": "epsilon"}}}.
 *
 * @param data 8gaussians, moons, swissroll, checkerboard, or mnist
 * @param batchSize examples per step
 * @param schedule the training noise schedule (diffusers field names)
 * @param classConditional train with class labels (mnist), dropping them with probability
 *     {@code p_uncond} so the model also learns the unconditional score for guidance
 * @param pUncond label dropout probability
 */
public record DiffusionTaskConfig(String data, Integer batchSize, ScheduleConfig schedule, Boolean classConditional,
    Double pUncond) {

  public DiffusionTaskConfig {
    if (data == null || data.isBlank()) {
      throw new IllegalArgumentException("diffusion task needs `data` (8gaussians, moons, swissroll, checkerboard,"
          + " mnist)");
    }
    batchSize = batchSize == null ? 256 : batchSize;
    schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
    classConditional = classConditional != null && classConditional;
    pUncond = pUncond == null ? 0.1 : pUncond;
    if (batchSize < 1) {
      throw new IllegalArgumentException("diffusion task field `batch_size` must be >= 1, got " + batchSize);
    }
    if (pUncond < 0 || pUncond > 1) {
      throw new IllegalArgumentException("diffusion task field `p_uncond` must be in [0, 1], got " + pUncond);
    }
  }
}
