package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Configs;
import dev.kiln.spi.process.ScheduleConfig;

/**
 * Settings of the {@code "euler-ancestral"} sampler: the fields of diffusers'
 * {@code EulerAncestralDiscreteScheduler} config with its defaults, so a diffusers
 * {@code scheduler_config.json} loads unchanged. Null means default.
 *
 * @param schedule the training noise schedule, flat among these fields: num_train_timesteps,
 *     beta_start, beta_end, beta_schedule, trained_betas, prediction_type and
 *     rescale_betas_zero_snr, with DDPM's defaults (see {@link ScheduleConfig})
 * @param timestepSpacing linspace, leading or trailing (linspace)
 * @param stepsOffset added to leading timesteps (0)
 */
public record EulerAncestralConfig(@Configs.Inline ScheduleConfig schedule, TimestepSpacing timestepSpacing,
    Integer stepsOffset) {

  public EulerAncestralConfig {
    schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
    timestepSpacing = timestepSpacing == null ? TimestepSpacing.LINSPACE : timestepSpacing;
    stepsOffset = stepsOffset == null ? 0 : stepsOffset;
    ConfigFields.checkStepsOffset(stepsOffset, schedule);
  }

  /** diffusers' defaults. */
  public static EulerAncestralConfig defaults() {
    return new EulerAncestralConfig(null, null, null);
  }
}
