package dev.kiln.diffusion.samplers;

import dev.kiln.spi.Configs;
import dev.kiln.spi.process.ScheduleConfig;

/**
 * Settings of the {@code "ddim"} sampler: the fields of diffusers' {@code DDIMScheduler} config with its
 * defaults, so a diffusers {@code scheduler_config.json} loads unchanged, plus Kiln's {@code eta}
 * (diffusers passes η to {@code step}). Null means default.
 *
 * @param schedule the training noise schedule, flat among these fields: num_train_timesteps,
 *     beta_start, beta_end, beta_schedule, trained_betas, prediction_type and
 *     rescale_betas_zero_snr, with DDPM's defaults (see {@link ScheduleConfig})
 * @param clipSample clamp x̂₀ to ±clip_sample_range (true, as diffusers; false for latents or data
 *     outside [−1, 1])
 * @param setAlphaToOne the last step goes to ᾱ = 1 rather than ᾱ₀ (true)
 * @param stepsOffset added to leading timesteps (0)
 * @param thresholding dynamic thresholding of x̂₀ (false)
 * @param dynamicThresholdingRatio quantile for thresholding (0.995)
 * @param clipSampleRange clamp bound (1)
 * @param sampleMaxValue largest threshold (1)
 * @param timestepSpacing leading, trailing or linspace (leading)
 * @param eta η ∈ [0, 1]: 0 is deterministic DDIM, 1 has DDPM's posterior variance (0)
 */
public record DdimConfig(@Configs.Inline ScheduleConfig schedule, Boolean clipSample, Boolean setAlphaToOne,
    Integer stepsOffset, Boolean thresholding, Double dynamicThresholdingRatio, Double clipSampleRange,
    Double sampleMaxValue, TimestepSpacing timestepSpacing, Double eta) {

  public DdimConfig {
    schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
    clipSample = clipSample == null || clipSample;
    setAlphaToOne = setAlphaToOne == null || setAlphaToOne;
    stepsOffset = stepsOffset == null ? 0 : stepsOffset;
    thresholding = thresholding != null && thresholding;
    dynamicThresholdingRatio = dynamicThresholdingRatio == null ? 0.995 : dynamicThresholdingRatio;
    clipSampleRange = clipSampleRange == null ? 1.0 : clipSampleRange;
    sampleMaxValue = sampleMaxValue == null ? 1.0 : sampleMaxValue;
    timestepSpacing = timestepSpacing == null ? TimestepSpacing.LEADING : timestepSpacing;
    eta = eta == null ? 0.0 : eta;
    ConfigFields.checkStepsOffset(stepsOffset, schedule);
    ConfigFields.positive("clip_sample_range", clipSampleRange);
    ConfigFields.openUnit("dynamic_thresholding_ratio", dynamicThresholdingRatio);
    ConfigFields.positive("sample_max_value", sampleMaxValue);
    if (!(eta >= 0 && eta <= 1)) {
      throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
    }
  }

  /** diffusers' defaults, η = 0. */
  public static DdimConfig defaults() {
    return new DdimConfig(null, null, null, null, null, null, null, null, null, null);
  }

  SampleClipping clipping() {
    return new SampleClipping(clipSample, clipSampleRange, thresholding, dynamicThresholdingRatio, sampleMaxValue);
  }
}
