package dev.kiln.graph;

import dev.kiln.graph.onnx.TensorProtos;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Output-type inference for every operator Kiln builds. Each rule sees the node with its typed
 * inputs and attributes and returns the output types, or throws a {@link GraphException} naming the
 * node and the offending shapes.
 */
final class ShapeRules {

  /** Infers a node's output types. */
  interface Rule {
    List<TensorType> infer(Node n);
  }

  private static final Map<String, Rule> RULES = new HashMap<>();

  static {
    for (String op : List.of("Sqrt", "Exp", "Log", "Neg", "Abs", "Reciprocal", "Relu", "Sigmoid", "Tanh", "Erf",
        "Softplus", "Sin", "Cos", "Sign", "Floor", "Ceil", "Identity", "LeakyRelu", "Softmax", "LogSoftmax",
        "CumSum", "Clip", "Atan", "Round")) {
      register(op, n -> one(floatingInput(n, 0), n.input(0).shape()));
    }
    for (String op : List.of("Add", "Sub", "Mul", "Div")) {
      register(op, n -> one(sameDtype(n), broadcast(n, n.input(0).shape(), n.input(1).shape())));
    }
    register("Pow", n -> one(n.input(0).dtype(), broadcast(n, n.input(0).shape(), n.input(1).shape())));
    for (String op : List.of("Max", "Min", "Sum", "Mean")) {
      register(op, n -> one(sameDtype(n), broadcastAll(n, n.inputs())));
    }
    for (String op : List.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual")) {
      register(op, n -> {
        sameDtype(n);
        return one(DType.BOOL, broadcast(n, n.input(0).shape(), n.input(1).shape()));
      });
    }
    for (String op : List.of("And", "Or", "Xor")) {
      register(op, n -> one(DType.BOOL, broadcast(n, n.input(0).shape(), n.input(1).shape())));
    }
    register("Not", n -> one(DType.BOOL, n.input(0).shape()));
    for (String op : List.of("ArgMax", "ArgMin")) {
      register(op, n -> {
        List<TensorType> r = reduceShape(n, new long[] {n.attrInt("axis", 0)});
        return one(DType.INT64, r.get(0).shape());
      });
    }
    register("Where", n -> {
      if (n.input(0).dtype() != DType.BOOL) {
        throw n.error("condition must be bool, got " + n.input(0).type());
      }
      if (n.input(1).dtype() != n.input(2).dtype()) {
        throw n.error("branches differ in type: " + n.input(1).type() + " vs " + n.input(2).type());
      }
      return one(n.input(1).dtype(), broadcastAll(n, n.inputs()));
    });
    for (String op : List.of("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceLogSumExp",
        "ReduceSumSquare", "ReduceProd")) {
      register(op, ShapeRules::reduce);
    }
    LayoutRules.registerAll();
    NnRules.registerAll();
  }

  private ShapeRules() {}

  static void register(String opType, Rule rule) {
    RULES.put(opType, rule);
  }

  /** Every operator type with a rule, keyed as {@link Node#qualifiedOpType()}, sorted. */
  static Set<String> ops() {
    return Collections.unmodifiableSet(new TreeSet<>(RULES.keySet()));
  }

  static List<TensorType> infer(Node n, int outputCount) {
    String key = n.qualifiedOpType();
    Rule rule = RULES.get(key);
    if (rule == null) {
      throw new GraphException("no shape rule for operator " + key + " (node " + n.name() + ")");
    }
    for (int i = 0; i < n.inputs().size(); i++) {
      if (n.input(i) == null && !optionalInputAllowed(n.opType())) {
        throw n.error("input " + i + " is missing");
      }
    }
    List<TensorType> types = rule.infer(n);
    if (types.size() < outputCount) {
      throw n.error("produces " + types.size() + " outputs, " + outputCount + " requested");
    }
    return types;
  }

  private static boolean optionalInputAllowed(String op) {
    return switch (op) {
      case "Resize", "Clip", "Gemm", "Conv", "ConvTranspose", "Slice", "LayerNormalization", "Pad" -> true;
      default -> false;
    };
  }

  // ---- shared helpers --------------------------------------------------------------------------

  static List<TensorType> one(DType dtype, Shape shape) {
    return List.of(new TensorType(dtype, shape));
  }

  static DType floatingInput(Node n, int i) {
    return n.input(i).dtype();
  }

  static DType sameDtype(Node n) {
    DType d = null;
    for (Value v : n.inputs()) {
      if (v == null) {
        continue;
      }
      if (d == null) {
        d = v.dtype();
      } else if (v.dtype() != d) {
        throw n.error("inputs differ in type: " + describeTypes(n.inputs()));
      }
    }
    return d;
  }

  static String describeTypes(List<Value> vs) {
    List<String> s = new ArrayList<>();
    for (Value v : vs) {
      s.add(v == null ? "_" : v.type().toString());
    }
    return String.join(", ", s);
  }

  /** Numpy broadcasting of two shapes; a symbolic dimension against 1 keeps the symbol. */
  static Shape broadcast(Node n, Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    List<Dim> out = new ArrayList<>(rank);
    for (int i = 0; i < rank; i++) {
      int ia = a.rank() - rank + i;
      int ib = b.rank() - rank + i;
      Dim da = ia >= 0 ? a.dim(ia) : Dim.of(1);
      Dim db = ib >= 0 ? b.dim(ib) : Dim.of(1);
      out.add(broadcastDim(n, a, b, i, da, db));
    }
    return new Shape(out);
  }

  private static Dim broadcastDim(Node n, Shape a, Shape b, int axis, Dim da, Dim db) {
    if (da.equals(db) || db.is(1)) {
      return da;
    }
    if (da.is(1)) {
      return db;
    }
    if (da.isStatic() && db.isStatic()) {
      throw n.error(a + " and " + b + " do not broadcast (axis " + axis + ": " + da + " vs " + db + ")");
    }
    return da.isStatic() ? da : db;
  }

  static Shape broadcastAll(Node n, List<Value> vs) {
    Shape s = Shape.scalar();
    for (Value v : vs) {
      s = broadcast(n, s, v.shape());
    }
    return s;
  }

  /** Normalises a possibly negative axis against {@code rank}. */
  static int axis(Node n, long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw n.error("axis " + axis + " is out of range for rank " + rank);
    }
    return (int) a;
  }

  /** The int64 data of input {@code i} if it is a constant, else null. */
  static long[] constantLongs(Node n, int i) {
    Value v = n.input(i);
    if (v == null || v.constantValue() == null) {
      return null;
    }
    return TensorProtos.toLongs(v.constantValue());
  }

  /**
   * What an int64 shape-like value holds, when the graph can tell: a constant with no negative
   * entries, the output of {@code Shape}, or a Concat of such.
   */
  static List<Dim> shapeValue(Value v) {
    if (v == null) {
      return null;
    }
    if (v.constantValue() != null) {
      List<Dim> d = new ArrayList<>();
      for (long x : TensorProtos.toLongs(v.constantValue())) {
        if (x < 0) {
          return null;
        }
        d.add(Dim.of(x));
      }
      return d;
    }
    Node p = v.producer();
    if (p == null) {
      return null;
    }
    if (p.opType().equals("Shape")) {
      List<Dim> dims = p.input(0).shape().dims();
      long start = p.attrInt("start", 0);
      long end = p.attrInt("end", dims.size());
      int r = dims.size();
      int s = (int) Math.max(0, Math.min(r, start < 0 ? start + r : start));
      int e = (int) Math.max(0, Math.min(r, end < 0 ? end + r : end));
      return new ArrayList<>(dims.subList(s, Math.max(s, e)));
    }
    if (p.opType().equals("Concat")) {
      List<Dim> all = new ArrayList<>();
      for (Value in : p.inputs()) {
        List<Dim> part = shapeValue(in);
        if (part == null) {
          return null;
        }
        all.addAll(part);
      }
      return all;
    }
    return null;
  }

  private static List<TensorType> reduce(Node n) {
    long[] axes = n.opType().equals("ReduceSum") ? constantLongs(n, 1) : n.attrInts("axes");
    if (n.opType().equals("ReduceSum") && n.input(1) != null && axes == null) {
      throw n.error("axes must be a constant");
    }
    return reduceShape(n, axes);
  }

  private static List<TensorType> reduceShape(Node n, long[] axes) {
    Value x = n.input(0);
    boolean keep = n.attrInt("keepdims", 1) == 1;
    boolean noop = n.attrInt("noop_with_empty_axes", 0) == 1;
    int rank = x.rank();
    boolean[] reduced = new boolean[rank];
    if (axes == null || axes.length == 0) {
      if (noop) {
        return one(x.dtype(), x.shape());
      }
      java.util.Arrays.fill(reduced, true);
    } else {
      for (long a : axes) {
        reduced[axis(n, a, rank)] = true;
      }
    }
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      if (!reduced[i]) {
        out.add(x.shape().dim(i));
      } else if (keep) {
        out.add(Dim.of(1));
      }
    }
    return one(x.dtype(), new Shape(out));
  }
}
