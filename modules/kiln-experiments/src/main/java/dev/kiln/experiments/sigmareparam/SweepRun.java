package dev.kiln.experiments.sigmareparam;

import java.util.List;

/**
 * One training run of the σReparam learning-rate sweep, as read back from its metrics log.
 *
 * @param arm arm id ({@code lm-adam}, {@code lm-sgd}, {@code vit-adam})
 * @param variant variant id ({@code post-ln}, {@code pre-ln}, {@code sigma-reparam})
 * @param lr learning rate
 * @param seed run seed
 * @param diverged whether the loss became NaN or infinite (training stopped there)
 * @param stepsRun steps completed
 * @param finalLoss mean training loss (nats) over the last logging window; NaN if diverged
 * @param heldOut the arm's final measure: held-out bits per character (LM) or test error (ViT); NaN if
 *     diverged
 * @param minEntropy the smallest normalised attention entropy of any layer at any logged step; NaN where
 *     the model logs none (the ViT)
 * @param seconds time of the training loop (logged steps over its throughput)
 * @param steps logged steps
 * @param loss training loss at each logged step
 * @param entropy normalised attention entropy {@code [layer][logged step]} (NaN where not logged)
 */
public record SweepRun(String arm, String variant, double lr, long seed, boolean diverged, long stepsRun,
    double finalLoss, double heldOut, double minEntropy, double seconds, double[] steps, double[] loss,
    double[][] entropy) {

  /** How close to the no-context baseline an LM's held-out loss may come before it counts as stuck. */
  public static final double STUCK_MARGIN_BITS = 0.25;
  /** How close to chance (0.9) a ViT's test error may come before it counts as stuck. */
  public static final double STUCK_MARGIN_ERROR = 0.1;
  /** The test error of guessing among the 10 digits. */
  public static final double CHANCE_ERROR = 0.9;

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
   * Whether the run failed to learn: it diverged, or its final measure is within the arm's margin of
   * learning nothing ({@value #STUCK_MARGIN_BITS} bits per character of the no-context baseline
   * {@code unigramBpc} for the LM, {@value #STUCK_MARGIN_ERROR} of chance for the ViT).
   */
  public boolean stuck(double unigramBpc) {
    boolean vision = arm.startsWith("vit");
    double nothing = vision ? CHANCE_ERROR : unigramBpc;
    double margin = vision ? STUCK_MARGIN_ERROR : STUCK_MARGIN_BITS;
    return diverged || !(heldOut < nothing - margin);
  }

  /** Runs of {@code arm} and {@code variant}, in the given order. */
  static List<SweepRun> of(List<SweepRun> runs, String arm, String variant) {
    return runs.stream().filter(r -> r.arm.equals(arm) && r.variant.equals(variant)).toList();
  }
}
