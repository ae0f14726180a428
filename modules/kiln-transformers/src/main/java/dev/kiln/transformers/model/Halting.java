package dev.kiln.transformers.model;

/**
 * Adaptive computation time settings.
 *
 * @param maxSteps T_max: the most steps; an example still running at this step halts there
 * @param epsilon ε: an example halts once its cumulative halting probability would exceed 1 − ε
 * @param biasInit initial bias of the halting unit; p starts near σ(biasInit) (tensor2tensor: 1.0, so
 *     σ(1) ≈ 0.73 and 2 steps)
 * @param adaptive false to run every step with no halting unit (p = 0: the output is the last step's)
 */
public record Halting(int maxSteps, double epsilon, double biasInit, boolean adaptive) {

  public Halting {
    if (maxSteps < 1) {
      throw new IllegalArgumentException("field `max_steps` must be >= 1, got " + maxSteps);
    }
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new IllegalArgumentException("field `act_epsilon` must be in (0, 1), got " + epsilon);
    }
  }

  public Halting(int maxSteps, double epsilon, double biasInit) {
    this(maxSteps, epsilon, biasInit, true);
  }

  /** The threshold 1 − ε, rounded to float as the graph and the serving loop both compare in float. */
  public float threshold() {
    return (float) (1 - epsilon);
  }

  public Halting withMaxSteps(int steps) {
    return new Halting(steps, epsilon, biasInit, adaptive);
  }
}
