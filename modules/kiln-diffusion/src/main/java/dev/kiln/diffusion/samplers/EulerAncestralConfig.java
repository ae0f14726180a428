package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.process.PredictionType;
import java.util.List;

/**
 * Settings of the {@code "euler-ancestral"} sampler: the fields of diffusers'
 * {@code EulerAncestralDiscreteScheduler} config with its defaults, so a diffusers
 * {@code scheduler_config.json} loads unchanged. Null means default.
 *
 * @param numTrainTimesteps T (1000)
 * @param betaStart β₀ (1e-4)
 * @param betaEnd β_{T−1} (0.02)
 * @param betaSchedule linear, scaled_linear or squaredcos_cap_v2 (linear)
 * @param trainedBetas explicit β_t, overriding the three above (null)
 * @param predictionType epsilon, sample or v_prediction (epsilon)
 * @param timestepSpacing linspace, leading or trailing (linspace)
 * @param stepsOffset added to leading timesteps (0)
 * @param rescaleBetasZeroSnr rescale to zero terminal SNR (false)
 */
public record EulerAncestralConfig(Integer numTrainTimesteps, Double betaStart, Double betaEnd,
    BetaSchedule betaSchedule, List<Double> trainedBetas, PredictionType predictionType,
    TimestepSpacing timestepSpacing, Integer stepsOffset, Boolean rescaleBetasZeroSnr) {

  public EulerAncestralConfig {
    numTrainTimesteps = numTrainTimesteps == null ? 1000 : numTrainTimesteps;
    betaStart = betaStart == null ? 1e-4 : betaStart;
    betaEnd = betaEnd == null ? 0.02 : betaEnd;
    betaSchedule = betaSchedule == null ? BetaSchedule.LINEAR : betaSchedule;
    trainedBetas = trainedBetas == null ? null : List.copyOf(trainedBetas);
    predictionType = predictionType == null ? PredictionType.EPSILON : predictionType;
    timestepSpacing = timestepSpacing == null ? TimestepSpacing.LINSPACE : timestepSpacing;
    stepsOffset = stepsOffset == null ? 0 : stepsOffset;
    rescaleBetasZeroSnr = rescaleBetasZeroSnr != null && rescaleBetasZeroSnr;
    ConfigFields.checkSchedule(numTrainTimesteps, betaStart, betaEnd, trainedBetas, stepsOffset);
  }

  /** diffusers' defaults. */
  public static EulerAncestralConfig defaults() {
    return new EulerAncestralConfig(null, null, null, null, null, null, null, null, null);
  }

  /** The training noise schedule these fields describe. */
  public NoiseSchedule noiseSchedule() {
    return ConfigFields.schedule(numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
        rescaleBetasZeroSnr);
  }
}
