package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * Batch normalisation of features {@code x [N, F]} (PyTorch's {@code BatchNorm1d}). Training normalises
 * with the batch's mean and biased variance and moves the running statistics towards the batch's (the
 * variance unbiased) by {@code momentum}, written back after each step as buffers; evaluation normalises
 * with the running statistics, so a picture's features do not depend on the rest of its batch.
 *
 * @param name scope of {@code <name>.weight}, {@code <name>.bias} and the buffers {@code running_mean},
 *     {@code running_var}
 * @param features F
 * @param momentum weight of the batch statistics in the running ones (PyTorch's 0.1)
 * @param epsilon added to the variance
 */
public record BatchNorm(String name, long features, double momentum, double epsilon) {

  public BatchNorm {
    if (!(momentum > 0 && momentum <= 1)) {
      throw new IllegalArgumentException(name + ": momentum must be in (0, 1], got " + momentum);
    }
  }

  /** PyTorch's defaults: momentum 0.1, ε 1e-5. */
  public static BatchNorm of(String name, long features) {
    return new BatchNorm(name, features, 0.1, 1e-5);
  }

  /** x [N, F] → [N, F]; in training N must be static and at least 2. */
  public Value apply(Graph g, Value x, boolean training) {
    try (var s = g.scope(name)) {
      Value gamma = g.parameter("weight", Shape.of(features), Init.ones());
      Value beta = g.parameter("bias", Shape.of(features), Init.zeros());
      Value runningMean = g.buffer("running_mean", Shape.of(features), Init.zeros());
      Value runningVar = g.buffer("running_var", Shape.of(features), Init.ones());
      Value normed;
      if (training) {
        long n = x.shape().dim(0).size();
        if (n < 2) {
          throw new IllegalArgumentException(name + ": batch statistics need a batch of at least 2, got " + n);
        }
        Value mean = g.reduceMean(x, true, 0);
        Value centred = g.sub(x, mean);
        Value var = g.reduceMean(g.square(centred), true, 0);
        normed = g.div(centred, g.sqrt(g.add(var, epsilon)));
        g.updateBuffer(runningMean, g.add(g.mul(runningMean, 1 - momentum),
            g.mul(g.squeeze(mean, 0), momentum)));
        g.updateBuffer(runningVar, g.add(g.mul(runningVar, 1 - momentum),
            g.mul(g.squeeze(var, 0), momentum * n / (n - 1.0))));
      } else {
        normed = g.div(g.sub(x, runningMean), g.sqrt(g.add(runningVar, epsilon)));
      }
      return g.add(g.mul(normed, gamma), beta);
    }
  }
}
