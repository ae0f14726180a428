package dev.kiln.graph;

import java.util.List;
import java.util.Map;

/** Indexing operators: gathers, scatters, cumulative sums, one-hot. */
public sealed interface IndexOps permits Graph {

  private Graph g() {
    return (Graph) this;
  }

  /** {@code data} indexed along {@code axis} by {@code indices}; out = data[:axis] + indices + data[axis+1:]. */
  default Value gather(Value data, Value indices, int axis) {
    return g().apply("Gather", List.of(data, indices), Graph.attrs("axis", (long) axis));
  }

  /** {@code out[i][j] = data[indices[i][j]][j]} for axis 0 (and likewise for other axes). */
  default Value gatherElements(Value data, Value indices, int axis) {
    return g().apply("GatherElements", List.of(data, indices), Graph.attrs("axis", (long) axis));
  }

  /** Writes {@code updates} into a copy of {@code data}; reduction is none, add, mul, max or min. */
  default Value scatterElements(Value data, Value indices, Value updates, int axis, String reduction) {
    return g().apply("ScatterElements", List.of(data, indices, updates),
        Graph.attrs("axis", (long) axis, "reduction", reduction));
  }

  /** ScatterND with reduction none or add. */
  default Value scatterND(Value data, Value indices, Value updates, String reduction) {
    return g().apply("ScatterND", List.of(data, indices, updates), Graph.attrs("reduction", reduction));
  }

  /** Gathers slices of {@code data} at the index tuples in the last axis of {@code indices}. */
  default Value gatherND(Value data, Value indices) {
    return g().apply("GatherND", List.of(data, indices), Map.of());
  }

  /** Running sum along {@code axis}; {@code exclusive} leaves out the element itself. */
  default Value cumSum(Value x, int axis, boolean exclusive, boolean reverse) {
    return g().apply("CumSum", List.of(x, g().scalar(DType.INT64, axis)),
        Graph.attrs("exclusive", exclusive ? 1L : 0L, "reverse", reverse ? 1L : 0L));
  }

  /** One-hot encoding of int64 {@code indices} into a new last axis of size {@code depth}. */
  default Value oneHot(Value indices, long depth, DType dtype) {
    Value values = g().constant(dtype, Shape.of(2), 0, 1);
    return g().apply("OneHot", List.of(indices, g().constantLongs(depth), values), Map.of());
  }
}
