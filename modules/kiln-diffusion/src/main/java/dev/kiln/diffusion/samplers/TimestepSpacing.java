package dev.kiln.diffusion.samplers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * How the sampling timesteps are picked from the {@code T} training timesteps; names and arithmetic as
 * diffusers' {@code timestep_spacing} (Table 2 of arXiv 2305.08891). For T = 1000, n = 10:
 * linspace [999, 888, …, 111, 0], leading [900, …, 100, 0] (+ steps_offset), trailing [999, 899, …, 99].
 */
public enum TimestepSpacing {
  LINSPACE("linspace"),
  LEADING("leading"),
  TRAILING("trailing");

  private final String id;

  TimestepSpacing(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static TimestepSpacing parse(String s) {
    for (TimestepSpacing v : values()) {
      if (v.id.equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("timestep_spacing must be one of "
        + Arrays.stream(values()).map(TimestepSpacing::id).toList() + ", got `" + s + "`");
  }

  /** Descending integer timesteps, as DDPM and DDIM use them (linspace rounded half to even). */
  double[] discrete(int trainSteps, int steps, int stepsOffset) {
    double[] t = continuous(trainSteps, steps, stepsOffset);
    if (this == LINSPACE) {
      for (int i = 0; i < t.length; i++) {
        t[i] = Math.rint(t[i]);
      }
    }
    return t;
  }

  /**
   * {@link #discrete} for a sampler that calls the model at integer timesteps, refusing more steps
   * than training timesteps and an offset that leaves the schedule; errors name the sampler.
   */
  double[] checkedDiscrete(String sampler, int trainSteps, int steps, int stepsOffset) {
    if (steps > trainSteps) {
      throw new IllegalArgumentException(sampler + " cannot take more steps (" + steps + ") than num_train_timesteps ("
          + trainSteps + ")");
    }
    double[] ts = discrete(trainSteps, steps, stepsOffset);
    if (ts[0] > trainSteps - 1) {
      throw new IllegalArgumentException("steps_offset " + stepsOffset + " puts timestep " + ts[0]
          + " past num_train_timesteps - 1");
    }
    return ts;
  }

  /** Descending timesteps as the Euler samplers use them: linspace keeps its fractional values. */
  double[] continuous(int trainSteps, int steps, int stepsOffset) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    double[] t = new double[steps];
    switch (this) {
      case LINSPACE -> {
        double[] up = linspace(trainSteps - 1, steps);
        for (int i = 0; i < steps; i++) {
          t[i] = up[steps - 1 - i];
        }
      }
      case LEADING -> {
        int ratio = leadingRatio(trainSteps, steps);
        for (int i = 0; i < steps; i++) {
          t[i] = (double) (steps - 1 - i) * ratio + stepsOffset;
        }
      }
      case TRAILING -> {
        double[] down = trailingArange(trainSteps, (double) trainSteps / steps, steps);
        for (int i = 0; i < steps; i++) {
          t[i] = Math.rint(down[i]) - 1;
        }
      }
      default -> throw new IllegalStateException();
    }
    return t;
  }

  /**
   * Descending integer timesteps as diffusers' multistep solvers (DPM-Solver, UniPC) space them:
   * linspace and leading space n + 1 points over [0, lastTimestep) and drop the smallest, so linspace,
   * T = 1000, n = 10, gives [999, 899, …, 100]; trailing steps by T/n down from lastTimestep.
   *
   * @param lastTimestep T, or fewer when DPM-Solver's {@code lambda_min_clipped} excludes the last ones
   */
  double[] multistep(int trainSteps, int lastTimestep, int steps, int stepsOffset) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    double[] ts = new double[steps];
    switch (this) {
      case LINSPACE -> {
        double[] up = linspace(lastTimestep - 1, steps + 1);
        for (int i = 0; i < steps; i++) {
          ts[i] = Math.rint(up[steps - i]);
        }
      }
      case LEADING -> {
        int ratio = leadingRatio(lastTimestep, steps + 1);
        for (int i = 0; i < steps; i++) {
          ts[i] = (double) (steps - i) * ratio + stepsOffset;
        }
      }
      case TRAILING -> {
        double[] down = trailingArange(lastTimestep, (double) trainSteps / steps, steps);
        for (int i = 0; i < steps; i++) {
          ts[i] = Math.rint(down[i]) - 1;
          if (ts[i] < 0) {
            throw new IllegalArgumentException("only " + i + " trailing timesteps lie below timestep "
                + lastTimestep + ", not " + steps);
          }
        }
      }
      default -> throw new IllegalStateException();
    }
    return ts;
  }

  /** {@code T // n}, which is 0 (every timestep equal) when there are more steps than timesteps. */
  static int leadingRatio(int trainSteps, int steps) {
    if (steps > trainSteps) {
      throw new IllegalArgumentException("leading timestep_spacing needs steps <= num_train_timesteps ("
          + trainSteps + "), got " + steps);
    }
    return trainSteps / steps;
  }

  /**
   * numpy's {@code linspace(0, stop, num)}: {@code i·(stop/(num−1))} with the last value exactly
   * {@code stop}. Rounding these products half to even is what gives diffusers' integer timesteps, so
   * the products must be formed the same way.
   */
  static double[] linspace(double stop, int num) {
    double[] y = new double[num];
    if (num == 1) {
      return y;
    }
    double step = stop / (num - 1);
    for (int i = 0; i < num; i++) {
      y[i] = i * step;
    }
    y[num - 1] = stop;
    return y;
  }

  /**
   * numpy's {@code arange(start, 0, -step)}, first {@code n} values. numpy fills a float range as
   * {@code start + i·(v₁ − start)}, not {@code start − i·step}; the two differ by an ulp, which moves a
   * .5 to the other integer after rounding (T = 1000, n = 48: timestep 936, not 937). numpy can also
   * return n + 1 values (n = 61), the last one 0, i.e. timestep −1; we keep n.
   */
  static double[] trailingArange(double start, double step, int n) {
    double[] y = new double[n];
    y[0] = start;
    if (n > 1) {
      y[1] = start - step;
      double delta = y[1] - start;
      for (int i = 2; i < n; i++) {
        y[i] = start + i * delta;
      }
    }
    return y;
  }
}
