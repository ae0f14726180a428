package com.example.heun;

/**
 * The Heun sampler's settings, with diffusers' field names so a model's schedule configures it.
 *
 * @param numTrainTimesteps T
 * @param betaStart β at t = 0
 * @param betaEnd β at t = T − 1
 * @param betaSchedule only "linear" here
 * @param predictionType only "epsilon" here
 */
public record HeunConfig(Integer numTrainTimesteps, Double betaStart, Double betaEnd, String betaSchedule,
    String predictionType) {

  public HeunConfig {
    numTrainTimesteps = numTrainTimesteps == null ? 1000 : numTrainTimesteps;
    betaStart = betaStart == null ? 1e-4 : betaStart;
    betaEnd = betaEnd == null ? 0.02 : betaEnd;
    betaSchedule = betaSchedule == null ? "linear" : betaSchedule;
    predictionType = predictionType == null ? "epsilon" : predictionType;
    if (!betaSchedule.equals("linear")) {
      throw new IllegalArgumentException("heun: beta_schedule must be linear, got " + betaSchedule);
    }
    if (!predictionType.equals("epsilon")) {
      throw new IllegalArgumentException("heun: prediction_type must be epsilon, got " + predictionType);
    }
  }
}
