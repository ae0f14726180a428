package dev.kiln.transformers.model;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * Layer normalisation over the last axis with a learned scale and shift, declared once and applied
 * any number of times. A float32 graph uses ONNX's fused {@code LayerNormalization}; a float64 graph
 * spells out {@code (x − μ)/√(σ² + ε)·γ + β}, because ONNX Runtime's CPU provider has no float64
 * LayerNormalization kernel. Both read the same two parameters, so float64 gradient checks cover
 * the model that is trained.
 *
 * @param scale {@code <scope>.scale [dim]} (ones)
 * @param bias {@code <scope>.bias [dim]} (zeros)
 */
public record Norm(Value scale, Value bias) {

  private static final double EPSILON = 1e-5;

  /** Declares {@code <name>.scale} and {@code <name>.bias}. */
  public static Norm declare(Graph g, String name, long dim) {
    try (var s = g.scope(name)) {
      return new Norm(g.parameter("scale", Shape.of(dim), Init.ones()),
          g.parameter("bias", Shape.of(dim), Init.zeros()));
    }
  }

  /** x [..., dim] → same shape. */
  public Value apply(Graph g, Value x) {
    if (x.dtype() != DType.DOUBLE) {
      return g.layerNorm(x, scale, bias, -1, EPSILON);
    }
    Value centred = g.sub(x, g.reduceMean(x, true, -1));
    Value variance = g.reduceMean(g.square(centred), true, -1);
    return g.add(g.mul(g.div(centred, g.sqrt(g.add(variance, EPSILON))), scale), bias);
  }
}
