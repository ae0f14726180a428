package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.ScheduleConfig;
import java.util.Arrays;
import java.util.Objects;

/**
 * Checks the sampler configs share. Each message names the snake_case field and the value, because
 * that is what the user wrote in a recipe or a diffusers {@code scheduler_config.json}.
 */
final class ConfigFields {

  private ConfigFields() {}

  /** diffusers' {@code steps_offset}, which must name a training timestep. */
  static void checkStepsOffset(int stepsOffset, ScheduleConfig schedule) {
    if (stepsOffset < 0 || stepsOffset >= schedule.numTrainTimesteps()) {
      throw new IllegalArgumentException("steps_offset must be in [0, num_train_timesteps), got " + stepsOffset);
    }
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
