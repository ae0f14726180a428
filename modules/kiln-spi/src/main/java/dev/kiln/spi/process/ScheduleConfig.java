package dev.kiln.spi.process;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.spi.Configs;
import java.util.List;

/**
 * The training noise schedule, with diffusers' field names. It is written into an exported model's
 * metadata as {@code scheduler_config}, so a sampler built for the model uses the schedule it was
 * trained with.
 *
 * @param numTrainTimesteps T
 * @param betaStart β at t = 0
 * @param betaEnd β at t = T−1
 * @param betaSchedule how β varies between them
 * @param trainedBetas explicit betas (overrides the above), or null
 * @param predictionType what the network predicts
 * @param rescaleBetasZeroSnr rescale to zero terminal SNR (arXiv 2305.08891)
 */
public record ScheduleConfig(Integer numTrainTimesteps, Double betaStart, Double betaEnd, BetaSchedule betaSchedule,
    List<Double> trainedBetas, PredictionType predictionType, Boolean rescaleBetasZeroSnr) {

  public ScheduleConfig {
    numTrainTimesteps = numTrainTimesteps == null ? 1000 : numTrainTimesteps;
    betaStart = betaStart == null ? 1e-4 : betaStart;
    betaEnd = betaEnd == null ? 0.02 : betaEnd;
    betaSchedule = betaSchedule == null ? BetaSchedule.LINEAR : betaSchedule;
    predictionType = predictionType == null ? PredictionType.EPSILON : predictionType;
    rescaleBetasZeroSnr = rescaleBetasZeroSnr != null && rescaleBetasZeroSnr;
    trainedBetas = trainedBetas == null ? null : List.copyOf(trainedBetas);
  }

  /** DDPM's defaults: T = 1000, linear β from 1e-4 to 0.02, ε-prediction. */
  public static ScheduleConfig defaults() {
    return new ScheduleConfig(null, null, null, null, null, null, null);
  }

  /** The schedule these settings describe. */
  public NoiseSchedule schedule() {
    double[] trained = trainedBetas == null ? null : trainedBetas.stream().mapToDouble(Double::doubleValue).toArray();
    return NoiseSchedule.of(numTrainTimesteps, betaStart, betaEnd, betaSchedule, trained, rescaleBetasZeroSnr);
  }

  /** As a diffusers-style JSON object (null fields left out). */
  public ObjectNode toJson() {
    ObjectNode n = (ObjectNode) Configs.toTree(this);
    if (trainedBetas == null) {
      n.remove("trained_betas");
    }
    return n;
  }
}
