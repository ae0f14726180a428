package dev.kiln.experiments.sigmareparam;

import java.util.List;

/**
 * One training run of the σReparam learning-rate sweep, as read back from its metrics log.
 *
 * @param variant variant id ({@code post-ln}, {@code pre-ln}, {@code sigma-reparam})
 * @param lr Adam learning rate
 * @param seed run seed
 * @param diverged whether the loss became NaN or infinite (training stopped there)
 * @param stepsRun steps completed
 * @param finalLoss mean training loss (nats) over the last logging window; NaN if diverged
 * @param heldOutBpc held-out bits per character at the end; NaN if diverged
 * @param minEntropy the smallest normalised attention entropy of any layer at any logged step
 * @param seconds time of the training loop (logged steps over its throughput)
 * @param steps logged steps
 * @param loss training loss at each logged step
 * @param entropy normalised attention entropy {@code [layer][logged step]}
 */
public record SweepRun(String variant, double lr, long seed, boolean diverged, long stepsRun, double finalLoss,
    double heldOutBpc, double minEntropy, double seconds, double[] steps, double[] loss, double[][] entropy) {

  /** How close to the no-context baseline a run's held-out loss may come before it counts as stuck. */
  public static final double STUCK_MARGIN_BITS = 0.25;

  /** The smallest layer's normalised entropy at each logged step. */
  public double[] minOverLayers() {
    double[] m = new double[steps.length];
    java.util.Arrays.fill(m, Double.POSITIVE_INFINITY);
    for (double[] layer : entropy) {
      for (int i = 0; i < m.length; i++) {
        m[i] = Math.min(m[i], layer[i]);
      }
    }
    return m;
  }

  /**
   * Whether the run failed to learn: it diverged, or its held-out loss is within
   * {@value #STUCK_MARGIN_BITS} bits per character of the no-context baseline {@code unigramBpc}.
   */
  public boolean stuck(double unigramBpc) {
    return diverged || !(heldOutBpc < unigramBpc - STUCK_MARGIN_BITS);
  }

  /** Runs of {@code variant}, in the given order. */
  static List<SweepRun> of(List<SweepRun> runs, String variant) {
    return runs.stream().filter(r -> r.variant.equals(variant)).toList();
  }
}
