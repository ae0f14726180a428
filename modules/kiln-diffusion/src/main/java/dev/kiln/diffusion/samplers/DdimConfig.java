package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.process.PredictionType;
import java.util.List;

/**
 * Settings of the {@code "ddim"} sampler: the fields of diffusers' {@code DDIMScheduler} config with its
 * defaults, so a diffusers {@code scheduler_config.json} loads unchanged, plus Kiln's {@code eta}
 * (diffusers passes η to {@code step}). Null means default.
 *
 * @param numTrainTimesteps T (1000)
 * @param betaStart β₀ (1e-4)
 * @param betaEnd β_{T−1} (0.02)
 * @param betaSchedule linear, scaled_linear or squaredcos_cap_v2 (linear)
 * @param trainedBetas explicit β_t, overriding the three above (null)
 * @param clipSample clamp x̂₀ to ±clip_sample_range (true, as diffusers; false for latents or data
 *     outside [−1, 1])
 * @param setAlphaToOne the last step goes to ᾱ = 1 rather than ᾱ₀ (true)
 * @param stepsOffset added to leading timesteps (0)
 * @param predictionType epsilon, sample or v_prediction (epsilon)
 * @param thresholding dynamic thresholding of x̂₀ (false)
 * @param dynamicThresholdingRatio quantile for thresholding (0.995)
 * @param clipSampleRange clamp bound (1)
 * @param sampleMaxValue largest threshold (1)
 * @param timestepSpacing leading, trailing or linspace (leading)
 * @param rescaleBetasZeroSnr rescale to zero terminal SNR (false)
 * @param eta η ∈ [0, 1]: 0 is deterministic DDIM, 1 has DDPM's posterior variance (0)
 */
public record DdimConfig(Integer numTrainTimesteps, Double betaStart, Double betaEnd, BetaSchedule betaSchedule,
    List<Double> trainedBetas, Boolean clipSample, Boolean setAlphaToOne, Integer stepsOffset,
    PredictionType predictionType, Boolean thresholding, Double dynamicThresholdingRatio, Double clipSampleRange,
    Double sampleMaxValue, TimestepSpacing timestepSpacing, Boolean rescaleBetasZeroSnr, Double eta) {

  public DdimConfig {
    numTrainTimesteps = numTrainTimesteps == null ? 1000 : numTrainTimesteps;
    betaStart = betaStart == null ? 1e-4 : betaStart;
    betaEnd = betaEnd == null ? 0.02 : betaEnd;
    betaSchedule = betaSchedule == null ? BetaSchedule.LINEAR : betaSchedule;
    trainedBetas = trainedBetas == null ? null : List.copyOf(trainedBetas);
    clipSample = clipSample == null || clipSample;
    setAlphaToOne = setAlphaToOne == null || setAlphaToOne;
    stepsOffset = stepsOffset == null ? 0 : stepsOffset;
    predictionType = predictionType == null ? PredictionType.EPSILON : predictionType;
    thresholding = thresholding != null && thresholding;
    dynamicThresholdingRatio = dynamicThresholdingRatio == null ? 0.995 : dynamicThresholdingRatio;
    clipSampleRange = clipSampleRange == null ? 1.0 : clipSampleRange;
    sampleMaxValue = sampleMaxValue == null ? 1.0 : sampleMaxValue;
    timestepSpacing = timestepSpacing == null ? TimestepSpacing.LEADING : timestepSpacing;
    rescaleBetasZeroSnr = rescaleBetasZeroSnr != null && rescaleBetasZeroSnr;
    eta = eta == null ? 0.0 : eta;
    ConfigFields.checkSchedule(numTrainTimesteps, betaStart, betaEnd, trainedBetas, stepsOffset);
    ConfigFields.positive("clip_sample_range", clipSampleRange);
    ConfigFields.openUnit("dynamic_thresholding_ratio", dynamicThresholdingRatio);
    ConfigFields.positive("sample_max_value", sampleMaxValue);
    if (!(eta >= 0 && eta <= 1)) {
      throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
    }
  }

  /** diffusers' defaults, η = 0. */
  public static DdimConfig defaults() {
    return new DdimConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null);
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
