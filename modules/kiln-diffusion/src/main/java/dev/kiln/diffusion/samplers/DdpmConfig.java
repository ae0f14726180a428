package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.process.PredictionType;
import java.util.List;

/**
 * Settings of the {@code "ddpm"} sampler: the fields of diffusers' {@code DDPMScheduler} config with its
 * defaults, so a diffusers {@code scheduler_config.json} loads unchanged. Null means default.
 *
 * @param numTrainTimesteps T (1000)
 * @param betaStart β₀ (1e-4)
 * @param betaEnd β_{T−1} (0.02)
 * @param betaSchedule linear, scaled_linear or squaredcos_cap_v2 (linear)
 * @param trainedBetas explicit β_t, overriding the three above (null)
 * @param varianceType fixed_small (σ² = posterior variance), fixed_small_log (the same σ) or fixed_large
 *     (σ² = β_t); the learned types are not supported (fixed_small)
 * @param clipSample clamp x̂₀ to ±clip_sample_range (true, as diffusers; false for latents or data
 *     outside [−1, 1])
 * @param predictionType epsilon, sample or v_prediction (epsilon)
 * @param thresholding dynamic thresholding of x̂₀ (false)
 * @param dynamicThresholdingRatio quantile for thresholding (0.995)
 * @param clipSampleRange clamp bound (1)
 * @param sampleMaxValue largest threshold (1)
 * @param timestepSpacing leading, trailing or linspace (leading)
 * @param stepsOffset added to leading timesteps (0)
 * @param rescaleBetasZeroSnr rescale to zero terminal SNR (false)
 */
public record DdpmConfig(Integer numTrainTimesteps, Double betaStart, Double betaEnd, BetaSchedule betaSchedule,
    List<Double> trainedBetas, String varianceType, Boolean clipSample, PredictionType predictionType,
    Boolean thresholding, Double dynamicThresholdingRatio, Double clipSampleRange, Double sampleMaxValue,
    TimestepSpacing timestepSpacing, Integer stepsOffset, Boolean rescaleBetasZeroSnr) {

  public DdpmConfig {
    numTrainTimesteps = numTrainTimesteps == null ? 1000 : numTrainTimesteps;
    betaStart = betaStart == null ? 1e-4 : betaStart;
    betaEnd = betaEnd == null ? 0.02 : betaEnd;
    betaSchedule = betaSchedule == null ? BetaSchedule.LINEAR : betaSchedule;
    trainedBetas = trainedBetas == null ? null : List.copyOf(trainedBetas);
    varianceType = varianceType == null ? "fixed_small" : varianceType;
    clipSample = clipSample == null || clipSample;
    predictionType = predictionType == null ? PredictionType.EPSILON : predictionType;
    thresholding = thresholding != null && thresholding;
    dynamicThresholdingRatio = dynamicThresholdingRatio == null ? 0.995 : dynamicThresholdingRatio;
    clipSampleRange = clipSampleRange == null ? 1.0 : clipSampleRange;
    sampleMaxValue = sampleMaxValue == null ? 1.0 : sampleMaxValue;
    timestepSpacing = timestepSpacing == null ? TimestepSpacing.LEADING : timestepSpacing;
    stepsOffset = stepsOffset == null ? 0 : stepsOffset;
    rescaleBetasZeroSnr = rescaleBetasZeroSnr != null && rescaleBetasZeroSnr;
    ConfigFields.checkSchedule(numTrainTimesteps, betaStart, betaEnd, trainedBetas, stepsOffset);
    ConfigFields.oneOf("variance_type", varianceType, "fixed_small", "fixed_small_log", "fixed_large");
    ConfigFields.positive("clip_sample_range", clipSampleRange);
    ConfigFields.openUnit("dynamic_thresholding_ratio", dynamicThresholdingRatio);
    ConfigFields.positive("sample_max_value", sampleMaxValue);
  }

  /** diffusers' defaults. */
  public static DdpmConfig defaults() {
    return new DdpmConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The training noise schedule these fields describe. */
  public NoiseSchedule noiseSchedule() {
    return ConfigFields.schedule(numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
        rescaleBetasZeroSnr);
  }

  SampleClipping clipping() {
    return new SampleClipping(clipSample, clipSampleRange, thresholding, dynamicThresholdingRatio, sampleMaxValue);
  }
}
