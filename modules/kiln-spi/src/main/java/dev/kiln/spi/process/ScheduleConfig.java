package dev.kiln.spi.process;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.spi.Configs;
import java.util.List;

/**
 * The training noise schedule, with diffusers' field names. It is written into an exported model's
 * metadata as {@code scheduler_config}, so a sampler built for the model uses the schedule it was
 * trained with. Sampler configs hold it as an {@link dev.kiln.spi.Configs.Inline inline} component, so
 * its fields sit flat among theirs, as in a diffusers {@code scheduler_config.json}. Null means
 * default; an invalid value is an error naming the field and the value.
 *
 * @param numTrainTimesteps T, at least 2 (1000)
 * @param betaStart β₀ in (0, 1) (1e-4)
 * @param betaEnd β_{T−1} in (0, 1) (0.02)
 * @param betaSchedule linear, scaled_linear or squaredcos_cap_v2 (linear)
 * @param trainedBetas explicit β_t, T values in (0, 1), overriding the three above (null)
 * @param predictionType what the network predicts: epsilon, sample or v_prediction (epsilon)
 * @param rescaleBetasZeroSnr rescale to zero terminal SNR, arXiv 2305.08891 (false)
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
    if (numTrainTimesteps < 2) {
      throw new IllegalArgumentException("num_train_timesteps must be >= 2, got " + numTrainTimesteps);
    }
    openUnit("beta_start", betaStart);
    openUnit("beta_end", betaEnd);
    if (trainedBetas != null) {
      if (trainedBetas.size() != numTrainTimesteps) {
        throw new IllegalArgumentException("trained_betas has " + trainedBetas.size()
            + " values but num_train_timesteps is " + numTrainTimesteps);
      }
      for (Double b : trainedBetas) {
        if (b == null || !(b > 0 && b < 1)) {
          throw new IllegalArgumentException("trained_betas must all be in (0, 1), got " + b);
        }
      }
      trainedBetas = List.copyOf(trainedBetas);
    }
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

  private static void openUnit(String field, double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException(field + " must be in (0, 1), got " + value);
    }
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
