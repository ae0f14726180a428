package dev.kiln.graph;

import static dev.kiln.graph.ShapeRules.axis;
import static dev.kiln.graph.ShapeRules.broadcast;
import static dev.kiln.graph.ShapeRules.constantLongs;
import static dev.kiln.graph.ShapeRules.one;
import static dev.kiln.graph.ShapeRules.register;
import static dev.kiln.graph.ShapeRules.shapeValue;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shape rules for operators that move, select or re-shape data. */
final class LayoutRules {

  private LayoutRules() {}

  static void registerAll() {
    register("Reshape", LayoutRules::reshape);
    register("Flatten", n -> {
      Shape s = n.input(0).shape();
      int a = (int) (n.attrInt("axis", 1) < 0 ? n.attrInt("axis", 1) + s.rank() : n.attrInt("axis", 1));
      return one(n.input(0).dtype(), Shape.of(s.slice(0, a).numel(), s.slice(a, s.rank()).numel()));
    });
    register("Transpose", n -> {
      Shape s = n.input(0).shape();
      long[] perm = n.attrInts("perm");
      if (perm == null) {
        perm = new long[s.rank()];
        for (int i = 0; i < perm.length; i++) {
          perm[i] = s.rank() - 1 - i;
        }
      }
      if (perm.length != s.rank()) {
        throw n.error("perm " + Arrays.toString(perm) + " does not match input " + s);
      }
      List<Dim> out = new ArrayList<>();
      for (long p : perm) {
        out.add(s.dim(axis(n, p, s.rank())));
      }
      return one(n.input(0).dtype(), new Shape(out));
    });
    register("Concat", LayoutRules::concat);
    register("Split", LayoutRules::split);
    register("Slice", LayoutRules::slice);
    register("Unsqueeze", n -> {
      Shape s = n.input(0).shape();
      long[] axes = requireConstant(n, 1, "axes");
      int outRank = s.rank() + axes.length;
      boolean[] inserted = new boolean[outRank];
      for (long a : axes) {
        inserted[axis(n, a, outRank)] = true;
      }
      List<Dim> out = new ArrayList<>();
      int j = 0;
      for (int i = 0; i < outRank; i++) {
        out.add(inserted[i] ? Dim.of(1) : s.dim(j++));
      }
      return one(n.input(0).dtype(), new Shape(out));
    });
    register("Squeeze", n -> {
      Shape s = n.input(0).shape();
      long[] axes = n.input(1) == null ? null : requireConstant(n, 1, "axes");
      boolean[] removed = new boolean[s.rank()];
      for (int i = 0; i < s.rank(); i++) {
        removed[i] = axes == null && s.dim(i).is(1);
      }
      if (axes != null) {
        for (long a : axes) {
          int ax = axis(n, a, s.rank());
          if (s.dim(ax).isStatic() && !s.dim(ax).is(1)) {
            throw n.error("cannot squeeze axis " + a + " of " + s + ": size " + s.dim(ax) + " is not 1");
          }
          removed[ax] = true;
        }
      }
      List<Dim> out = new ArrayList<>();
      for (int i = 0; i < s.rank(); i++) {
        if (!removed[i]) {
          out.add(s.dim(i));
        }
      }
      return one(n.input(0).dtype(), new Shape(out));
    });
    register("Expand", n -> {
      List<Dim> target = shapeValue(n.input(1));
      if (target == null) {
        target = unknownDims(n, n.input(1));
      }
      return one(n.input(0).dtype(), broadcast(n, n.input(0).shape(), new Shape(target)));
    });
    register("Tile", n -> {
      Shape s = n.input(0).shape();
      long[] reps = requireConstant(n, 1, "repeats");
      if (reps.length != s.rank()) {
        throw n.error("repeats " + Arrays.toString(reps) + " do not match input " + s);
      }
      List<Dim> out = new ArrayList<>();
      for (int i = 0; i < reps.length; i++) {
        out.add(s.dim(i).times(Dim.of(reps[i])));
      }
      return one(n.input(0).dtype(), new Shape(out));
    });
    register("Pad", n -> {
      Shape s = n.input(0).shape();
      long[] pads = requireConstant(n, 1, "pads");
      if (pads.length != 2 * s.rank()) {
        throw n.error("pads " + Arrays.toString(pads) + " need 2 entries per axis of " + s);
      }
      List<Dim> out = new ArrayList<>();
      for (int i = 0; i < s.rank(); i++) {
        long extra = pads[i] + pads[i + s.rank()];
        out.add(extra == 0 ? s.dim(i) : addStatic(n, s.dim(i), extra));
      }
      return one(n.input(0).dtype(), new Shape(out));
    });
    register("Shape", n -> {
      int r = n.input(0).rank();
      long start = n.attrInt("start", 0);
      long end = n.attrInt("end", r);
      long s = Math.max(0, Math.min(r, start < 0 ? start + r : start));
      long e = Math.max(0, Math.min(r, end < 0 ? end + r : end));
      return one(DType.INT64, Shape.of(Math.max(0, e - s)));
    });
    register("Size", n -> one(DType.INT64, Shape.scalar()));
    register("ConstantOfShape", n -> {
      List<Dim> dims = shapeValue(n.input(0));
      if (dims == null) {
        dims = unknownDims(n, n.input(0));
      }
      Attribute value = n.attributes().get("value");
      DType dtype = value instanceof Attribute.Tensor t ? DType.fromOnnx(t.value().getDataType()) : DType.FLOAT;
      return one(dtype, new Shape(dims));
    });
    register("Cast", n -> one(DType.fromOnnx((int) n.attrInt("to", -1)), n.input(0).shape()));
    register("Gather", n -> {
      Shape d = n.input(0).shape();
      requireIndex(n, 1);
      int a = axis(n, n.attrInt("axis", 0), d.rank());
      return one(n.input(0).dtype(), d.slice(0, a).concat(n.input(1).shape()).concat(d.slice(a + 1, d.rank())));
    });
    register("GatherElements", n -> {
      requireIndex(n, 1);
      if (n.input(1).rank() != n.input(0).rank()) {
        throw n.error("indices " + n.input(1).shape() + " must have the rank of data " + n.input(0).shape());
      }
      return one(n.input(0).dtype(), n.input(1).shape());
    });
    register("ScatterElements", n -> {
      requireIndex(n, 1);
      if (!n.input(1).shape().equals(n.input(2).shape()) && n.input(1).shape().isStatic()
          && n.input(2).shape().isStatic()) {
        throw n.error("indices " + n.input(1).shape() + " and updates " + n.input(2).shape() + " differ");
      }
      return one(n.input(0).dtype(), n.input(0).shape());
    });
    register("ScatterND", n -> {
      requireIndex(n, 1);
      return one(n.input(0).dtype(), n.input(0).shape());
    });
    register("GatherND", n -> {
      requireIndex(n, 1);
      Shape d = n.input(0).shape();
      Shape idx = n.input(1).shape();
      long batch = n.attrInt("batch_dims", 0);
      if (!idx.dim(-1).isStatic()) {
        throw n.error("last axis of indices " + idx + " must be static");
      }
      int k = (int) idx.dim(-1).size();
      return one(n.input(0).dtype(), idx.slice(0, idx.rank() - 1).concat(d.slice((int) batch + k, d.rank())));
    });
    register("OneHot", n -> {
      requireIndex(n, 0);
      long[] depth = requireConstant(n, 1, "depth");
      Shape s = n.input(0).shape();
      int a = (int) n.attrInt("axis", -1);
      int outRank = s.rank() + 1;
      int ax = a < 0 ? a + outRank : a;
      List<Dim> out = new ArrayList<>(s.dims());
      out.add(ax, Dim.of(depth[0]));
      return one(n.input(2).dtype(), new Shape(out));
    });
    register("Range", n -> {
      long[] start = constantLongs(n, 0);
      long[] limit = constantLongs(n, 1);
      long[] delta = constantLongs(n, 2);
      if (start != null && limit != null && delta != null) {
        long count = Math.max(0, (long) Math.ceil((double) (limit[0] - start[0]) / delta[0]));
        return one(n.input(0).dtype(), Shape.of(count));
      }
      return one(n.input(0).dtype(), Shape.of(Dim.unknown()));
    });
  }

  private static Dim addStatic(Node n, Dim d, long extra) {
    if (d.isStatic()) {
      return Dim.of(d.size() + extra);
    }
    return Dim.unknown();
  }

  private static void requireIndex(Node n, int i) {
    DType t = n.input(i).dtype();
    if (t != DType.INT64 && t != DType.INT32) {
      throw n.error("indices must be int64 or int32, got " + n.input(i).type());
    }
  }

  static long[] requireConstant(Node n, int i, String what) {
    long[] v = constantLongs(n, i);
    if (v == null) {
      throw n.error(what + " must be a constant int64 tensor");
    }
    return v;
  }

  private static List<Dim> unknownDims(Node n, Value shapeTensor) {
    if (shapeTensor.rank() != 1 || !shapeTensor.shape().dim(0).isStatic()) {
      throw n.error("shape input must be a 1-D tensor of static length, got " + shapeTensor.shape());
    }
    List<Dim> dims = new ArrayList<>();
    for (long i = 0; i < shapeTensor.shape().dim(0).size(); i++) {
      dims.add(Dim.unknown());
    }
    return dims;
  }

  private static List<TensorType> reshape(Node n) {
    Shape in = n.input(0).shape();
    long[] raw = constantLongs(n, 1);
    List<Dim> target;
    if (raw != null) {
      target = new ArrayList<>();
      int minusOne = -1;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          if (i >= in.rank()) {
            throw n.error("target " + Arrays.toString(raw) + " copies axis " + i + " that " + in + " lacks");
          }
          target.add(in.dim(i));
        } else if (raw[i] == -1) {
          if (minusOne >= 0) {
            throw n.error("target " + Arrays.toString(raw) + " has more than one -1");
          }
          minusOne = i;
          target.add(null);
        } else if (raw[i] < 0) {
          throw n.error("target " + Arrays.toString(raw) + " has invalid entry " + raw[i]);
        } else {
          target.add(Dim.of(raw[i]));
        }
      }
      if (minusOne >= 0) {
        Dim known = Dim.of(1);
        for (Dim d : target) {
          if (d != null) {
            known = known.times(d);
          }
        }
        Dim inferred = in.numel().dividedBy(known);
        if (inferred == null) {
          if (in.isStatic() && known.isStatic()) {
            throw n.error("cannot reshape " + in + " to " + Arrays.toString(raw) + ": " + in.numel()
                + " elements are not a multiple of " + known);
          }
          inferred = Dim.unknown();
        }
        target.set(minusOne, inferred);
      }
    } else {
      target = shapeValue(n.input(1));
      if (target == null) {
        target = unknownDims(n, n.input(1));
      }
    }
    Shape out = new Shape(target);
    if (in.isStatic() && out.isStatic() && in.size() != out.size()) {
      throw n.error("cannot reshape " + in + " (" + in.size() + " elements) to " + out + " (" + out.size()
          + " elements)");
    }
    return one(n.input(0).dtype(), out);
  }

  private static List<TensorType> concat(Node n) {
    List<Value> ins = n.inputs();
    Shape first = ins.get(0).shape();
    int a = axis(n, n.attrInt("axis", 0), first.rank());
    Dim total = Dim.of(0);
    boolean symbolic = false;
    long staticSum = 0;
    DType dtype = ShapeRules.sameDtype(n);
    List<Dim> out = new ArrayList<>(first.dims());
    for (Value v : ins) {
      Shape s = v.shape();
      if (s.rank() != first.rank()) {
        throw n.error("inputs differ in rank: " + ShapeRules.describeTypes(ins));
      }
      for (int i = 0; i < s.rank(); i++) {
        if (i != a && s.dim(i).isStatic() && first.dim(i).isStatic() && !s.dim(i).equals(first.dim(i))) {
          throw n.error("inputs differ on axis " + i + ": " + ShapeRules.describeTypes(ins));
        }
      }
      if (s.dim(a).isStatic()) {
        staticSum += s.dim(a).size();
      } else if (ins.size() == 1) {
        total = s.dim(a);
      } else {
        symbolic = true;
      }
    }
    out.set(a, symbolic ? Dim.unknown() : (ins.size() == 1 && !total.is(0) ? total : Dim.of(staticSum)));
    return one(dtype, new Shape(out));
  }

  private static List<TensorType> split(Node n) {
    Shape s = n.input(0).shape();
    int a = axis(n, n.attrInt("axis", 0), s.rank());
    long[] sizes = n.input(1) == null ? null : requireConstant(n, 1, "split");
    if (sizes == null) {
      long parts = n.attrInt("num_outputs", -1);
      if (parts < 1 || !s.dim(a).isStatic() || s.dim(a).size() % parts != 0) {
        throw n.error("cannot split " + s + " evenly on axis " + a + " into " + parts + " parts");
      }
      sizes = new long[(int) parts];
      Arrays.fill(sizes, s.dim(a).size() / parts);
    }
    if (s.dim(a).isStatic() && Arrays.stream(sizes).sum() != s.dim(a).size()) {
      throw n.error("split sizes " + Arrays.toString(sizes) + " do not add up to axis " + a + " of " + s);
    }
    List<TensorType> out = new ArrayList<>();
    for (long size : sizes) {
      out.add(new TensorType(n.input(0).dtype(), s.with(a, Dim.of(size))));
    }
    return out;
  }

  private static List<TensorType> slice(Node n) {
    Shape s = n.input(0).shape();
    long[] starts = requireConstant(n, 1, "starts");
    long[] ends = requireConstant(n, 2, "ends");
    long[] axes = n.input(3) == null ? null : requireConstant(n, 3, "axes");
    long[] steps = n.input(4) == null ? null : requireConstant(n, 4, "steps");
    List<Dim> out = new ArrayList<>(s.dims());
    for (int k = 0; k < starts.length; k++) {
      int a = axis(n, axes == null ? k : axes[k], s.rank());
      long step = steps == null ? 1 : steps[k];
      if (step == 0) {
        throw n.error("step must not be 0");
      }
      Dim d = s.dim(a);
      if (!d.isStatic()) {
        boolean whole = step == 1 && starts[k] == 0 && ends[k] >= Integer.MAX_VALUE;
        out.set(a, whole ? d : Dim.unknown());
        continue;
      }
      long dim = d.size();
      long start = clampIndex(starts[k], dim, step);
      long end = clampIndex(ends[k], dim, step);
      long count = step > 0 ? Math.max(0, (end - start + step - 1) / step)
          : Math.max(0, (start - end + (-step) - 1) / (-step));
      out.set(a, Dim.of(count));
    }
    return one(n.input(0).dtype(), new Shape(out));
  }

  private static long clampIndex(long i, long dim, long step) {
    if (i < 0) {
      i += dim;
    }
    if (step > 0) {
      return Math.max(0, Math.min(dim, i));
    }
    return Math.max(-1, Math.min(dim - 1, i));
  }

  /** The attribute tensor a ConstantOfShape node needs for a value of {@code dtype}. */
  static TensorProto fillValue(DType dtype, double value) {
    return dev.kiln.graph.onnx.TensorProtos.of(dtype, new long[] {1}, value);
  }
}
