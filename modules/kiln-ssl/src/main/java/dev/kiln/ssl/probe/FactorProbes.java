package dev.kiln.ssl.probe;

import dev.kiln.ssl.data.FactorImages;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The linear evaluation of frozen features on an image set with independent factors: per factor, a
 * {@link LinearProbe} fitted on the features of the first {@code train} training pictures, its accuracy
 * measured on the whole test part.
 *
 * @param train training pictures each probe fits on
 * @param iterations full-batch Adam steps per probe
 */
public record FactorProbes(int train, int iterations) {

  public FactorProbes {
    if (train < 2 || iterations < 1) {
      throw new IllegalArgumentException("factor probes need ≥ 2 training pictures and ≥ 1 iteration, got " + train
          + " and " + iterations);
    }
  }

  /** The pictures the probes fit on: the first {@code train} of the training part. */
  public int[] trainIndices(FactorImages data) {
    int[] idx = new int[Math.min(train, data.trainSize())];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    return idx;
  }

  /** The pictures the probes are scored on: the whole test part. */
  public static int[] testIndices(FactorImages data) {
    int[] idx = new int[data.testSize()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = data.trainSize() + i;
    }
    return idx;
  }

  /**
   * Test accuracy per factor, in the data's factor order, of probes on {@code trainFeatures} (rows of
   * {@link #trainIndices}) scored on {@code testFeatures} (rows of {@link #testIndices}).
   */
  public Map<String, Double> accuracies(FactorImages data, float[][] trainFeatures, float[][] testFeatures) {
    int[] train = trainIndices(data);
    int[] test = testIndices(data);
    if (trainFeatures.length != train.length || testFeatures.length != test.length) {
      throw new IllegalArgumentException("factor probes need " + train.length + " training and " + test.length
          + " test feature rows, got " + trainFeatures.length + " and " + testFeatures.length);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int f = 0; f < data.factors().size(); f++) {
      LinearProbe probe = new LinearProbe(data.factors().get(f).classes(), iterations, 0.05, 1e-4);
      out.put(data.factors().get(f).name(), probe.fit(trainFeatures, labels(data, f, train))
          .accuracy(testFeatures, labels(data, f, test)));
    }
    return out;
  }

  private static int[] labels(FactorImages data, int f, int[] idx) {
    int[] y = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      y[i] = data.label(f, idx[i]);
    }
    return y;
  }
}
