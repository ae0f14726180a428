package dev.kiln.transformers.model;

import dev.kiln.graph.Fans;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * The parameters of {@code y = x·W + b} ({@code W [in, out]}), declared once and applied any number
 * of times: a block shared across the steps of a Universal Transformer reads the same two values at
 * every step. Initialised like {@link dev.kiln.nn.Linear} (PyTorch's {@code nn.Linear}).
 *
 * @param weight {@code <scope>.weight [in, out]}
 * @param bias {@code <scope>.bias [out]}
 */
public record Dense(Value weight, Value bias) {

  /** Declares {@code <name>.weight} and {@code <name>.bias} in the current scope of {@code g}. */
  public static Dense declare(Graph g, String name, long in, long out) {
    try (var s = g.scope(name)) {
      Value w = g.parameter("weight", Shape.of(in, out), Init.kaimingUniform());
      Value b = g.parameter("bias", Shape.of(out), new Init.FanInUniform(), new Fans(in, out));
      return new Dense(w, b);
    }
  }

  /** As {@link #declare}, with the bias initialised to {@code biasInit} (a halting unit's bias). */
  public static Dense declare(Graph g, String name, long in, long out, double biasInit) {
    try (var s = g.scope(name)) {
      Value w = g.parameter("weight", Shape.of(in, out), Init.kaimingUniform());
      Value b = g.parameter("bias", Shape.of(out), new Init.Constant(biasInit));
      return new Dense(w, b);
    }
  }

  /** x [..., in] → [..., out]. */
  public Value apply(Graph g, Value x) {
    return g.add(g.matMul(x, weight), bias);
  }
}
