package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * Layer normalisation over the last axis with a learned scale (ones) and shift (zeros).
 *
 * @param name scope of {@code <name>.scale} and {@code <name>.bias}
 * @param dim size of the last axis
 * @param epsilon added to the variance
 */
public record LayerNorm(String name, long dim, double epsilon) {

  public static LayerNorm of(String name, long dim) {
    return new LayerNorm(name, dim, 1e-5);
  }

  /** x [..., dim] → same shape. */
  public Value apply(Graph g, Value x) {
    try (var s = g.scope(name)) {
      Value scale = g.parameter("scale", Shape.of(dim), Init.ones());
      Value bias = g.parameter("bias", Shape.of(dim), Init.zeros());
      return g.layerNorm(x, scale, bias, -1, epsilon);
    }
  }
}
