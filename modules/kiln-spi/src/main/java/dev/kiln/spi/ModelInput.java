package dev.kiln.spi;

import dev.kiln.graph.DType;
import dev.kiln.graph.Shape;

/**
 * One input an architecture reads, with the range test data should come from (integers use
 * {@code [low, high)}).
 *
 * @param name input name in the graph
 * @param dtype element type
 * @param shape shape, batch first as the symbol {@code N}
 * @param low smallest test value
 * @param high largest test value
 */
public record ModelInput(String name, DType dtype, Shape shape, double low, double high) {

  /** A float input of the batch symbol {@code N} followed by {@code dims}, test values in [-1, 1]. */
  public static ModelInput batched(String name, long... dims) {
    return new ModelInput(name, DType.FLOAT, Shape.batched("N", dims), -1, 1);
  }

  public ModelInput withRange(double lo, double hi) {
    return new ModelInput(name, dtype, shape, lo, hi);
  }
}
