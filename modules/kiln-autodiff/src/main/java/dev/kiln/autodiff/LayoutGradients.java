package dev.kiln.autodiff;

import static dev.kiln.autodiff.ElementwiseGradients.grads;

import dev.kiln.graph.Dim;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Derivatives of operators that move data around: reshapes, joins, slices, gathers, scatters, reductions. */
final class LayoutGradients {

  private LayoutGradients() {}

  static void register(GradientRegistry r) {
    for (String op : List.of("Reshape", "Flatten", "Squeeze", "Unsqueeze")) {
      r.put(op, c -> grads(c.g().reshapeLike(c.dy(), c.in(0)), null));
    }
    r.put("Transpose", c -> {
      long[] perm = c.attrInts("perm");
      int rank = c.in(0).rank();
      int[] inv = new int[rank];
      for (int i = 0; i < rank; i++) {
        inv[perm == null ? rank - 1 - i : (int) perm[i]] = i;
      }
      return grads(c.g().transpose(c.dy(), inv));
    });
    r.put("Concat", c -> {
      int axis = axis(c.attrInt("axis", 0), c.out(0).rank());
      long[] sizes = new long[c.node().inputs().size()];
      for (int i = 0; i < sizes.length; i++) {
        Dim d = c.in(i).shape().dim(axis);
        if (!d.isStatic()) {
          throw c.error("inputs need static sizes on the concatenation axis, got " + c.in(i).shape());
        }
        sizes[i] = d.size();
      }
      return sizes.length == 1 ? grads(c.dy()) : c.g().split(c.dy(), axis, sizes);
    });
    r.put("Split", c -> {
      List<Value> parts = new ArrayList<>();
      for (int i = 0; i < c.node().outputs().size(); i++) {
        parts.add(c.gradOrZeros(i));
      }
      return grads(c.g().concat((int) c.attrInt("axis", 0), parts), null);
    });
    r.put("Slice", LayoutGradients::slice);
    // pad: the gradient is the un-padded window
    r.put("Pad", c -> {
      long[] pads = c.constantLongs(1);
      Shape s = c.in(0).shape();
      int rank = s.rank();
      long[] starts = new long[rank];
      long[] ends = new long[rank];
      long[] axes = new long[rank];
      for (int i = 0; i < rank; i++) {
        if (pads[i] < 0 || pads[i + rank] < 0) {
          throw c.error("negative pads are not differentiable here");
        }
        axes[i] = i;
        starts[i] = pads[i];
        ends[i] = s.dim(i).isStatic() ? pads[i] + s.dim(i).size() : Long.MAX_VALUE;
      }
      return grads(c.g().slice(c.dy(), starts, ends, axes, null), null, null);
    });
    r.put("Expand", c -> grads(c.unbroadcast(c.dy(), c.in(0)), null));
    r.put("Tile", LayoutGradients::tile);
    r.put("Gather", LayoutGradients::gather);
    // gather-elements: scatter-add dy back to where it came from
    r.put("GatherElements", c -> grads(c.g().scatterElements(c.g().zerosLike(c.in(0)), c.in(1), c.dy(),
        (int) c.attrInt("axis", 0), "add"), null));
    r.put("GatherND", c -> {
      if (c.attrInt("batch_dims", 0) != 0) {
        throw c.error("batch_dims != 0 is not differentiable here");
      }
      return grads(c.g().scatterND(c.g().zerosLike(c.in(0)), c.in(1), c.dy(), "add"), null);
    });
    // scatter: data keeps dy except where overwritten; updates read dy at their targets
    r.put("ScatterElements", c -> {
      Graph g = c.g();
      int axis = (int) c.attrInt("axis", 0);
      String red = c.node().attrString("reduction", "none");
      if (!red.equals("none") && !red.equals("add")) {
        throw c.error("reduction " + red + " is not differentiable here");
      }
      Value dData = red.equals("add") ? c.dy() : g.scatterElements(c.dy(), c.in(1), g.zerosLike(c.in(2)), axis, "none");
      return grads(dData, null, g.gatherElements(c.dy(), c.in(1), axis));
    });
    r.put("ScatterND", c -> {
      Graph g = c.g();
      String red = c.node().attrString("reduction", "none");
      if (!red.equals("none") && !red.equals("add")) {
        throw c.error("reduction " + red + " is not differentiable here");
      }
      Value dData = red.equals("add") ? c.dy() : g.scatterND(c.dy(), c.in(1), g.zerosLike(c.in(2)), "none");
      return grads(dData, null, g.gatherND(c.dy(), c.in(1)));
    });
    // cumulative sum: the gradient is the cumulative sum in the other direction
    r.put("CumSum", c -> grads(c.g().cumSum(c.dy(), (int) c.constantLongs(1)[0], c.attrInt("exclusive", 0) == 1,
        c.attrInt("reverse", 0) == 0), null));
    r.put("ReduceSum", c -> grads(c.g().expandLike(keptDims(c, c.dy()), c.in(0)), null));
    r.put("ReduceMean", c -> grads(c.g().expandLike(c.g().div(keptDims(c, c.dy()), count(c)), c.in(0))));
    r.put("ReduceMax", LayoutGradients::reduceExtreme);
    r.put("ReduceMin", LayoutGradients::reduceExtreme);
    // log Σ exp x: dx = dy·exp(x − y), the softmax over the reduced axes
    r.put("ReduceLogSumExp", c -> grads(c.g().mul(keptDims(c, c.dy()),
        c.g().exp(c.g().sub(c.in(0), keptDims(c, c.out(0)))))));
    // Σ x²: dx = 2x·dy
    r.put("ReduceSumSquare", c -> grads(c.g().mul(keptDims(c, c.dy()), c.g().mul(c.in(0), 2.0))));
    r.put("ReduceProd", LayoutGradients::reduceProd);
  }

  static int axis(long axis, int rank) {
    return (int) (axis < 0 ? axis + rank : axis);
  }

  /** The reduced axes of a Reduce* node, normalised (all axes when none are given). */
  private static long[] reducedAxes(GradContext c) {
    long[] axes = c.node().opType().equals("ReduceSum")
        ? (c.in(1) == null ? null : c.constantLongs(1)) : c.attrInts("axes");
    int rank = c.in(0).rank();
    if (axes == null || axes.length == 0) {
      axes = new long[rank];
      for (int i = 0; i < rank; i++) {
        axes[i] = i;
      }
    }
    long[] norm = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      norm[i] = axis(axes[i], rank);
    }
    Arrays.sort(norm);
    return norm;
  }

  /** {@code v} (a reduction's output or its gradient) with the reduced axes restored as size 1. */
  private static Value keptDims(GradContext c, Value v) {
    return c.attrInt("keepdims", 1) == 1 ? v : c.g().unsqueeze(v, reducedAxes(c));
  }

  /** How many elements each reduced output averages, as a scalar of the input's type. */
  private static Value count(GradContext c) {
    Graph g = c.g();
    Dim n = Dim.of(1);
    for (long a : reducedAxes(c)) {
      n = n.times(c.in(0).shape().dim((int) a));
    }
    if (n.isStatic()) {
      return g.scalarLike(c.in(0), n.size());
    }
    return g.div(g.cast(g.size(c.in(0)), c.in(0).dtype()), g.cast(g.size(c.out(0)), c.in(0).dtype()));
  }

  private static List<Value> reduceExtreme(GradContext c) {
    Graph g = c.g();
    Value y = keptDims(c, c.out(0));
    Value mask = c.asFloat(g.equal(c.in(0), y), c.in(0));
    Value ties = g.reduceSum(mask, true, reducedAxes(c));
    return grads(g.div(g.mul(mask, keptDims(c, c.dy())), ties));
  }

  /**
   * Π x: dx_i = dy·Π_{j≠i} x_j. That is y/x_i only where the window holds no zero; with one zero, that
   * element gets the product of the others and the rest get 0; with two or more, every element gets 0.
   * Computing it from the product of the non-zero entries keeps zeros from turning into inf or NaN.
   */
  private static List<Value> reduceProd(GradContext c) {
    Graph g = c.g();
    Value x = c.in(0);
    long[] axes = reducedAxes(c);
    Value isZero = g.equal(x, g.scalarLike(x, 0));
    Value nonZero = g.where(isZero, g.scalarLike(x, 1), x);
    Value nonZeroProduct = g.apply("ReduceProd", List.of(nonZero), Graph.attrs("axes", axes, "keepdims", 1L));
    Value zeros = g.reduceSum(c.asFloat(isZero, x), true, axes);
    Value others = g.where(g.equal(zeros, g.scalarLike(x, 0)), g.div(nonZeroProduct, nonZero),
        g.where(g.and(isZero, g.equal(zeros, g.scalarLike(x, 1))), nonZeroProduct, g.scalarLike(x, 0)));
    return grads(g.mul(keptDims(c, c.dy()), others));
  }

  private static List<Value> slice(GradContext c) {
    Graph g = c.g();
    Shape s = c.in(0).shape();
    long[] starts = c.constantLongs(1);
    long[] ends = c.constantLongs(2);
    long[] axes = c.in(3) == null ? null : c.constantLongs(3);
    long[] steps = c.in(4) == null ? null : c.constantLongs(4);
    int rank = s.rank();
    boolean unitSteps = steps == null || Arrays.stream(steps).allMatch(v -> v == 1);
    if (unitSteps) {
      long[] pads = new long[2 * rank];
      for (int k = 0; k < starts.length; k++) {
        int a = axis(axes == null ? k : axes[k], rank);
        Dim d = s.dim(a);
        if (!d.isStatic()) {
          if (starts[k] == 0 && ends[k] >= Integer.MAX_VALUE) {
            continue;
          }
          throw c.error("sliced axis " + a + " of " + s + " must be static");
        }
        long dim = d.size();
        long st = clamp(starts[k], dim);
        long en = Math.max(st, clamp(ends[k], dim));
        pads[a] = st;
        pads[a + rank] = dim - en;
      }
      return grads(g.pad(c.dy(), pads, 0), null, null, null, null);
    }
    // Strided slices: undo one axis at a time by scattering the kept rows back into zeros.
    Value grad = c.dy();
    Shape current = c.out(0).shape();
    for (int k = starts.length - 1; k >= 0; k--) {
      int a = axis(axes == null ? k : axes[k], rank);
      long dim = s.dim(a).size();
      long step = steps == null ? 1 : steps[k];
      long count = current.dim(a).size();
      long first = step > 0 ? clamp(starts[k], dim) : Math.min(dim - 1, starts[k] < 0 ? starts[k] + dim : starts[k]);
      double[] idx = new double[(int) count];
      for (int i = 0; i < count; i++) {
        idx[i] = first + i * step;
      }
      long[] idxShape = new long[rank];
      Arrays.fill(idxShape, 1);
      idxShape[a] = count;
      Value indices = g.expandLike(g.constant(dev.kiln.graph.DType.INT64, Shape.of(idxShape), idx), grad);
      Shape target = current.with(a, Dim.of(dim));
      Value zeros = g.constantOfShape(target.isStatic() ? g.constantLongs(target.sizes()) : g.concat(0,
          shapePieces(g, grad, a, dim)), grad.dtype(), 0);
      grad = g.scatterElements(zeros, indices, grad, a, "none");
      current = target;
    }
    return grads(grad, null, null, null, null);
  }

  /** The run-time shape of {@code v} with axis {@code a} replaced by {@code size}. */
  private static List<Value> shapePieces(Graph g, Value v, int a, long size) {
    Value shape = g.shapeOf(v);
    List<Value> pieces = new ArrayList<>();
    if (a > 0) {
      pieces.add(g.slice(shape, 0, 0, a));
    }
    pieces.add(g.constantLongs(size));
    if (a < v.rank() - 1) {
      pieces.add(g.slice(shape, 0, a + 1, v.rank()));
    }
    return pieces;
  }

  private static long clamp(long i, long dim) {
    long v = i < 0 ? i + dim : i;
    return Math.max(0, Math.min(dim, v));
  }

  /** tile: view dy as [r0, d0, r1, d1, …] and sum over the repeat axes. */
  private static List<Value> tile(GradContext c) {
    Graph g = c.g();
    long[] reps = c.constantLongs(1);
    Shape s = c.in(0).shape();
    long[] view = new long[2 * reps.length];
    long[] sumAxes = new long[reps.length];
    boolean symbolicSeen = false;
    for (int i = 0; i < reps.length; i++) {
      view[2 * i] = reps[i];
      Dim d = s.dim(i);
      if (d.isStatic()) {
        view[2 * i + 1] = d.size();
      } else if (!symbolicSeen) {
        symbolicSeen = true;
        view[2 * i + 1] = -1;
      } else {
        throw c.error("needs at most one symbolic axis, got " + s);
      }
      sumAxes[i] = 2L * i;
    }
    return grads(g.reshapeLike(g.reduceSum(g.reshape(c.dy(), view), false, sumAxes), c.in(0)), null);
  }

  /** gather along axis a: scatter-add dy, flattened over the index axes, onto zeros shaped like data. */
  private static List<Value> gather(GradContext c) {
    Graph g = c.g();
    Value data = c.in(0);
    Shape ds = data.shape();
    int a = axis(c.attrInt("axis", 0), ds.rank());
    long[] flat = new long[ds.rank()];
    for (int i = 0; i < ds.rank(); i++) {
      if (i < a) {
        flat[i] = 0;
      } else if (i == a) {
        flat[i] = -1;
      } else if (ds.dim(i).isStatic()) {
        flat[i] = ds.dim(i).size();
      } else {
        throw c.error("data axes after the gather axis must be static, got " + ds);
      }
    }
    Value dyFlat = g.reshape(c.dy(), flat);
    long[] idxView = new long[ds.rank()];
    Arrays.fill(idxView, 1);
    idxView[a] = -1;
    Value idx = g.expandLike(g.reshape(c.in(1), idxView), dyFlat);
    return grads(g.scatterElements(g.zerosLike(data), idx, dyFlat, a, "add"), null);
  }
}
