package dev.kiln.transformers.tasks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracy and depth per hop count.
 *
 * @param hops the hop counts evaluated
 * @param accuracy fraction correct per hop count
 * @param meanSteps mean steps used per hop count (NaN for a model without adaptive depth)
 * @param examples examples per hop count
 */
public record HopReport(int[] hops, double[] accuracy, double[] meanSteps, int examples) {

  /** Flat metrics: {@code accuracy_hops_3}, {@code steps_hops_3}, …, and means over seen and unseen counts. */
  public Map<String, Double> metrics(java.util.List<Integer> trainHops) {
    Map<String, Double> m = new LinkedHashMap<>();
    double seen = 0;
    double unseen = 0;
    int nSeen = 0;
    int nUnseen = 0;
    for (int i = 0; i < hops.length; i++) {
      m.put("accuracy_hops_" + hops[i], accuracy[i]);
      if (!Double.isNaN(meanSteps[i])) {
        m.put("steps_hops_" + hops[i], meanSteps[i]);
      }
      if (trainHops.contains(hops[i])) {
        seen += accuracy[i];
        nSeen++;
      } else {
        unseen += accuracy[i];
        nUnseen++;
      }
    }
    if (nSeen > 0) {
      m.put("accuracy_seen_hops", seen / nSeen);
    }
    if (nUnseen > 0) {
      m.put("accuracy_unseen_hops", unseen / nUnseen);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HopReport r && Arrays.equals(hops, r.hops) && Arrays.equals(accuracy, r.accuracy)
        && Arrays.equals(meanSteps, r.meanSteps) && examples == r.examples;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hops) * 31 + Arrays.hashCode(accuracy);
  }

  @Override
  public String toString() {
    return "hops " + Arrays.toString(hops) + ": accuracy " + Arrays.toString(accuracy) + ", steps "
        + Arrays.toString(meanSteps);
  }
}
