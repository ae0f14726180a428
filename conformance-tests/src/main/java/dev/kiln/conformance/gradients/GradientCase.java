package dev.kiln.conformance.gradients;

import dev.kiln.graph.DType;
import dev.kiln.graph.Value;
import java.util.Set;
import java.util.function.Function;

/**
 * One graph whose gradient is checked against finite differences.
 *
 * @param name what the case exercises ({@code "MatMul broadcast batch"})
 * @param ops the operators whose gradient rules the case covers
 * @param precision DOUBLE where ONNX Runtime has float64 kernels for every op involved, else FLOAT
 *     (checked with a larger step and tolerance)
 * @param body declares inputs and returns the output whose gradient is checked
 */
public record GradientCase(String name, Set<String> ops, DType precision, Function<CaseInputs, Value> body) {

  /** A float64 case covering one operator. */
  public static GradientCase of(String op, String name, Function<CaseInputs, Value> body) {
    return new GradientCase(op + ": " + name, Set.of(op), DType.DOUBLE, body);
  }

  /** A float32 case covering one operator (for ops without float64 kernels in ONNX Runtime). */
  public static GradientCase float32(String op, String name, Function<CaseInputs, Value> body) {
    return new GradientCase(op + ": " + name, Set.of(op), DType.FLOAT, body);
  }

  @Override
  public String toString() {
    return name;
  }
}
