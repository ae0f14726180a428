package dev.kiln.graph;

import java.util.List;

/** Reductions over chosen axes (opset 17 forms: ReduceSum takes axes as an input, the rest as an attribute). */
public sealed interface ReduceOps permits Graph {

  private Graph g() {
    return (Graph) this;
  }

  private Value reduceAttr(String op, Value x, boolean keepDims, long[] axes) {
    return g().apply(op, List.of(x), Graph.attrs("axes", axes, "keepdims", keepDims ? 1L : 0L));
  }

  default Value reduceSum(Value x, boolean keepDims, long... axes) {
    return g().apply("ReduceSum", List.of(x, g().constantLongs(axes)), Graph.attrs("keepdims", keepDims ? 1L : 0L));
  }

  default Value reduceMean(Value x, boolean keepDims, long... axes) {
    return reduceAttr("ReduceMean", x, keepDims, axes);
  }

  default Value reduceMax(Value x, boolean keepDims, long... axes) {
    return reduceAttr("ReduceMax", x, keepDims, axes);
  }

  default Value reduceMin(Value x, boolean keepDims, long... axes) {
    return reduceAttr("ReduceMin", x, keepDims, axes);
  }

  /** Sum over every axis, as a scalar. */
  default Value sumAll(Value x) {
    return reduceSum(x, false, allAxes(x));
  }

  /** Mean over every axis, as a scalar. */
  default Value meanAll(Value x) {
    return reduceMean(x, false, allAxes(x));
  }

  private static long[] allAxes(Value x) {
    long[] axes = new long[x.rank()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return axes;
  }
}
