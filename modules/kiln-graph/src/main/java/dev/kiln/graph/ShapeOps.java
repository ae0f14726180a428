package dev.kiln.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Operators that re-shape, re-order, join, split and convert tensors. */
public sealed interface ShapeOps permits Graph {

  private Graph g() {
    return (Graph) this;
  }

  /** ONNX Reshape: 0 copies the input's dimension, -1 is inferred. */
  default Value reshape(Value x, long... shape) {
    return g().apply("Reshape", List.of(x, g().constantLongs(shape)), Map.of());
  }

  /** Reshape to a run-time shape tensor (int64 [rank]). */
  default Value reshape(Value x, Value shape) {
    return g().apply("Reshape", List.of(x, shape), Map.of());
  }

  /** Reshape to the shape of {@code like}, read at run time. */
  default Value reshapeLike(Value x, Value like) {
    return like.shape().isStatic() ? reshape(x, like.shape().sizes()) : reshape(x, shapeOf(like));
  }

  /** {@code [d0·…·d(axis−1), d(axis)·…]}. */
  default Value flatten(Value x, int axis) {
    return g().apply("Flatten", List.of(x), Graph.attrs("axis", (long) axis));
  }

  default Value transpose(Value x, int... perm) {
    return g().apply("Transpose", List.of(x), Graph.attrs("perm", Arrays.stream(perm).asLongStream().toArray()));
  }

  default Value concat(int axis, Value... xs) {
    return concat(axis, Arrays.asList(xs));
  }

  default Value concat(int axis, List<Value> xs) {
    return g().apply("Concat", xs, Graph.attrs("axis", (long) axis));
  }

  /** Splits {@code x} on {@code axis} into pieces of the given sizes. */
  default List<Value> split(Value x, int axis, long... sizes) {
    return g().apply("", "Split", List.of(x, g().constantLongs(sizes)), Graph.attrs("axis", (long) axis),
        sizes.length);
  }

  /** Numpy-style {@code x[starts:ends:steps]} on the given axes. */
  default Value slice(Value x, long[] starts, long[] ends, long[] axes, long[] steps) {
    List<Value> in = new ArrayList<>(List.of(x, g().constantLongs(starts), g().constantLongs(ends)));
    in.add(axes == null ? null : g().constantLongs(axes));
    if (steps != null) {
      in.add(g().constantLongs(steps));
    }
    return g().apply("Slice", in, Map.of());
  }

  /** {@code x[..., start:end, ...]} on one axis. */
  default Value slice(Value x, int axis, long start, long end) {
    return slice(x, new long[] {start}, new long[] {end}, new long[] {axis}, null);
  }

  default Value unsqueeze(Value x, long... axes) {
    return g().apply("Unsqueeze", List.of(x, g().constantLongs(axes)), Map.of());
  }

  default Value squeeze(Value x, long... axes) {
    return g().apply("Squeeze", List.of(x, g().constantLongs(axes)), Map.of());
  }

  /** Broadcasts {@code x} to a static shape. */
  default Value expand(Value x, long... shape) {
    return g().apply("Expand", List.of(x, g().constantLongs(shape)), Map.of());
  }

  /** Broadcasts {@code x} to a run-time shape tensor. */
  default Value expand(Value x, Value shape) {
    return g().apply("Expand", List.of(x, shape), Map.of());
  }

  /** Broadcasts {@code x} to the shape of {@code like}. */
  default Value expandLike(Value x, Value like) {
    return like.shape().isStatic() ? expand(x, like.shape().sizes()) : expand(x, shapeOf(like));
  }

  default Value tile(Value x, long... repeats) {
    return g().apply("Tile", List.of(x, g().constantLongs(repeats)), Map.of());
  }

  /** Zero (or constant) padding: {@code pads = [begin_0 … begin_r, end_0 … end_r]}. */
  default Value pad(Value x, long[] pads, double value) {
    return g().apply("Pad", List.of(x, g().constantLongs(pads), g().scalarLike(x, value)), Map.of());
  }

  /** The run-time shape of {@code x}, int64 [rank]. */
  default Value shapeOf(Value x) {
    return g().apply("Shape", List.of(x), Map.of());
  }

  /** A tensor of the run-time shape {@code shape} filled with {@code value}. */
  default Value constantOfShape(Value shape, DType dtype, double value) {
    return g().apply("ConstantOfShape", List.of(shape),
        Map.of("value", new Attribute.Tensor(LayoutRules.fillValue(dtype, value))));
  }

  /** Zeros shaped and typed like {@code like}. */
  default Value zerosLike(Value like) {
    if (like.shape().isStatic()) {
      return constantOfShape(g().constantLongs(like.shape().sizes()), like.dtype(), 0);
    }
    return constantOfShape(shapeOf(like), like.dtype(), 0);
  }

  default Value cast(Value x, DType to) {
    if (x.dtype() == to) {
      return x;
    }
    return g().apply("Cast", List.of(x), Graph.attrs("to", (long) to.onnxCode()));
  }

  /** The element count of {@code x} as an int64 scalar. */
  default Value size(Value x) {
    return g().apply("Size", List.of(x), Map.of());
  }
}
