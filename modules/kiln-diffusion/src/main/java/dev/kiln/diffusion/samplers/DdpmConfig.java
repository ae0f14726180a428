package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Configs;
import dev.kiln.spi.process.ScheduleConfig;

/**
 * Settings of the {@code "ddpm"} sampler: the fields of diffusers' {@code DDPMScheduler} config with its
 * defaults, so a diffusers {@code scheduler_config.json} loads unchanged. Null means default.
 *
 * @param schedule the training noise schedule, flat among these fields: num_train_timesteps,
 *     beta_start, beta_end, beta_schedule, trained_betas, prediction_type and
 *     rescale_betas_zero_snr, with DDPM's defaults (see {@link ScheduleConfig})
 * @param varianceType fixed_small (σ² = posterior variance), fixed_small_log (the same σ) or fixed_large
 *     (σ² = β_t); the learned types are not supported (fixed_small)
 * @param clipSample clamp x̂₀ to ±clip_sample_range (true, as diffusers; false for latents or data
 *     outside [−1, 1])
 * @param thresholding dynamic thresholding of x̂₀ (false)
 * @param dynamicThresholdingRatio quantile for thresholding (0.995)
 * @param clipSampleRange clamp bound (1)
 * @param sampleMaxValue largest threshold (1)
 * @param timestepSpacing leading, trailing or linspace (leading)
 * @param stepsOffset added to leading timesteps (0)
 */
public record DdpmConfig(@Configs.Inline ScheduleConfig schedule, String varianceType, Boolean clipSample,
    Boolean thresholding, Double dynamicThresholdingRatio, Double clipSampleRange, Double sampleMaxValue,
    TimestepSpacing timestepSpacing, Integer stepsOffset) {

  public DdpmConfig {
    schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
    varianceType = varianceType == null ? "fixed_small" : varianceType;
    clipSample = clipSample == null || clipSample;
    thresholding = thresholding != null && thresholding;
    dynamicThresholdingRatio = dynamicThresholdingRatio == null ? 0.995 : dynamicThresholdingRatio;
    clipSampleRange = clipSampleRange == null ? 1.0 : clipSampleRange;
    sampleMaxValue = sampleMaxValue == null ? 1.0 : sampleMaxValue;
    timestepSpacing = timestepSpacing == null ? TimestepSpacing.LEADING : timestepSpacing;
    stepsOffset = stepsOffset == null ? 0 : stepsOffset;
    ConfigFields.checkStepsOffset(stepsOffset, schedule);
    ConfigFields.oneOf("variance_type", varianceType, "fixed_small", "fixed_small_log", "fixed_large");
    ConfigFields.positive("clip_sample_range", clipSampleRange);
    ConfigFields.openUnit("dynamic_thresholding_ratio", dynamicThresholdingRatio);
    ConfigFields.positive("sample_max_value", sampleMaxValue);
  }

  /** diffusers' defaults. */
  public static DdpmConfig defaults() {
    return new DdpmConfig(null, null, null, null, null, null, null, null, null);
  }

  SampleClipping clipping() {
    return new SampleClipping(clipSample, clipSampleRange, thresholding, dynamicThresholdingRatio, sampleMaxValue);
  }
}
