package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * Group normalisation of {@code [N, C, H, W]} feature maps: statistics over each group of
 * {@code C/groups} channels and all positions, then a per-channel scale and shift. Built from
 * Reshape and LayerNormalization so it differentiates with the standard rules.
 *
 * @param name scope of {@code <name>.scale} and {@code <name>.bias}
 * @param groups number of channel groups
 * @param channels C
 * @param epsilon added to the variance
 */
public record GroupNorm(String name, long groups, long channels, double epsilon) {

  public GroupNorm {
    if (channels % groups != 0) {
      throw new IllegalArgumentException(name + ": " + channels + " channels do not split into " + groups + " groups");
    }
  }

  public static GroupNorm of(String name, long groups, long channels) {
    return new GroupNorm(name, groups, channels, 1e-5);
  }

  /** x [N, C, H, W] (static C, H, W) → same shape. */
  public Value apply(Graph g, Value x) {
    Shape s = x.shape();
    long h = s.dim(2).size();
    long w = s.dim(3).size();
    try (var sc = g.scope(name)) {
      Value grouped = g.reshape(x, -1, groups, (channels / groups) * h * w);
      Value ones = g.constant(x.dtype(), Shape.of((channels / groups) * h * w), filled((channels / groups) * h * w));
      Value normed = g.layerNorm(grouped, ones, null, -1, epsilon);
      Value back = g.reshape(normed, -1, channels, h, w);
      Value scale = g.parameter("scale", Shape.of(channels, 1, 1), Init.ones());
      Value bias = g.parameter("bias", Shape.of(channels, 1, 1), Init.zeros());
      return g.add(g.mul(back, scale), bias);
    }
  }

  private static double[] filled(long n) {
    double[] d = new double[(int) n];
    java.util.Arrays.fill(d, 1);
    return d;
  }
}
