package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Checks the sampler configs share. Each message names the snake_case field and the value, because
 * that is what the user wrote in a recipe or a diffusers {@code scheduler_config.json}.
 */
final class ConfigFields {

  private ConfigFields() {}

  /** The fields every diffusers scheduler has for its training schedule. */
  static void checkSchedule(int numTrainTimesteps, double betaStart, double betaEnd, List<Double> trainedBetas,
      int stepsOffset) {
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
    }
    if (stepsOffset < 0 || stepsOffset >= numTrainTimesteps) {
      throw new IllegalArgumentException("steps_offset must be in [0, num_train_timesteps), got " + stepsOffset);
    }
  }

  /** The schedule diffusers builds from those fields. */
  static NoiseSchedule schedule(int numTrainTimesteps, double betaStart, double betaEnd, BetaSchedule kind,
      List<Double> trainedBetas, boolean rescaleBetasZeroSnr) {
    double[] trained = trainedBetas == null ? null : trainedBetas.stream().mapToDouble(Double::doubleValue).toArray();
    return NoiseSchedule.of(numTrainTimesteps, betaStart, betaEnd, kind, trained, rescaleBetasZeroSnr);
  }

  static void openUnit(String field, double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException(field + " must be in (0, 1), got " + value);
    }
  }

  static void positive(String field, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(field + " must be > 0, got " + value);
    }
  }

  static void nonNegative(String field, double value) {
    if (!(value >= 0)) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }

  static String oneOf(String field, String value, String... allowed) {
    if (!Arrays.asList(allowed).contains(value)) {
      throw new IllegalArgumentException(field + " must be one of " + Arrays.toString(allowed) + ", got `" + value
          + "`");
    }
    return value;
  }

  /** A diffusers field Kiln accepts so configs load, but implements only at its default. */
  static void onlyDefault(String sampler, String field, Object value, Object dflt) {
    if (!Objects.equals(value, dflt)) {
      throw new IllegalArgumentException(field + " = " + value + " is not supported by the " + sampler
          + " sampler (only " + dflt + ")");
    }
  }
}
