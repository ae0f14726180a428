package dev.kiln.nn;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * Layer normalisation over the last axis with a learned scale (ones) and shift (zeros). A float32
 * graph uses ONNX's fused {@code LayerNormalization}; a float64 graph spells out
 * {@code (x − μ)/√(σ² + ε)·γ + β}, because ONNX Runtime's CPU provider has no float64
 * LayerNormalization kernel. Both read the same two parameters, so float64 gradient checks cover
 * the model that is trained.
 *
 * @param name scope of {@code <name>.scale} and {@code <name>.bias}
 * @param dim size of the last axis
 * @param epsilon added to the variance
 */
public record LayerNorm(String name, long dim, double epsilon) {

  public static LayerNorm of(String name, long dim) {
    return new LayerNorm(name, dim, 1e-5);
  }

  /**
   * The declared layer, to apply any number of times.
   *
   * @param name the scope its ops are added in
   * @param scale γ {@code [dim]}
   * @param bias β {@code [dim]}
   * @param epsilon added to the variance
   */
  public record Declared(String name, Value scale, Value bias, double epsilon) {

    /** x [..., dim] → same shape. */
    public Value apply(Graph g, Value x) {
      try (var s = g.scope(name)) {
        if (x.dtype() != DType.DOUBLE) {
          return g.layerNorm(x, scale, bias, -1, epsilon);
        }
        Value centred = g.sub(x, g.reduceMean(x, true, -1));
        Value variance = g.reduceMean(g.square(centred), true, -1);
        return g.add(g.mul(g.div(centred, g.sqrt(g.add(variance, epsilon))), scale), bias);
      }
    }
  }

  /** Declares {@code <name>.scale} and {@code <name>.bias} in the current scope. */
  public Declared declare(Graph g) {
    try (var s = g.scope(name)) {
      return new Declared(name, g.parameter("scale", Shape.of(dim), Init.ones()),
          g.parameter("bias", Shape.of(dim), Init.zeros()), epsilon);
    }
  }

  /** x [..., dim] → same shape, declaring the parameters. */
  public Value apply(Graph g, Value x) {
    return declare(g).apply(g, x);
  }
}
