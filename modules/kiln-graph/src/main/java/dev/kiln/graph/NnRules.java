package dev.kiln.graph;

import static dev.kiln.graph.ShapeRules.axis;
import static dev.kiln.graph.ShapeRules.broadcast;
import static dev.kiln.graph.ShapeRules.one;
import static dev.kiln.graph.ShapeRules.register;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shape rules for the neural-network operators: products, norms, convolutions, sampling. */
final class NnRules {

  private NnRules() {}

  static void registerAll() {
    register("MatMul", n -> matMul(n, false, false));
    register("com.microsoft.FusedMatMul",
        n -> matMul(n, n.attrInt("transA", 0) == 1, n.attrInt("transB", 0) == 1));
    register("Gemm", NnRules::gemm);
    register("LayerNormalization", n -> {
      Shape s = n.input(0).shape();
      int a = axis(n, n.attrInt("axis", -1), s.rank());
      Shape normalized = s.slice(a, s.rank());
      checkNormParam(n, 1, normalized);
      checkNormParam(n, 2, normalized);
      List<Dim> stat = new ArrayList<>(s.dims());
      for (int i = a; i < s.rank(); i++) {
        stat.set(i, Dim.of(1));
      }
      DType t = n.input(0).dtype();
      return List.of(new TensorType(t, s), new TensorType(t, new Shape(stat)), new TensorType(t, new Shape(stat)));
    });
    register("Conv", n -> conv(n, false));
    register("ConvTranspose", n -> conv(n, true));
    register("AveragePool", NnRules::pool);
    register("MaxPool", NnRules::pool);
    register("GlobalAveragePool", n -> {
      Shape s = n.input(0).shape();
      List<Dim> out = new ArrayList<>(s.dims());
      for (int i = 2; i < s.rank(); i++) {
        out.set(i, Dim.of(1));
      }
      return one(n.input(0).dtype(), new Shape(out));
    });
    register("Resize", NnRules::resize);
    register("GridSample", n -> {
      Shape x = n.input(0).shape();
      Shape grid = n.input(1).shape();
      if (x.rank() != 4 || grid.rank() != 4 || !grid.dim(3).is(2)) {
        throw n.error("expects X [N,C,H,W] and grid [N,Ho,Wo,2], got " + x + " and " + grid);
      }
      return one(n.input(0).dtype(), Shape.of(x.dim(0), x.dim(1), grid.dim(1), grid.dim(2)));
    });
    register("Einsum", NnRules::einsum);
  }

  private static void checkNormParam(Node n, int i, Shape normalized) {
    Value p = n.input(i);
    if (p == null) {
      return;
    }
    Shape s = p.shape();
    boolean ok = s.rank() <= normalized.rank();
    for (int k = 1; ok && k <= s.rank(); k++) {
      Dim d = s.dim(-k);
      Dim e = normalized.dim(-k);
      ok = d.is(1) || d.equals(e) || !d.isStatic() || !e.isStatic();
    }
    if (!ok) {
      throw n.error((i == 1 ? "scale " : "bias ") + s + " does not match normalised dims " + normalized);
    }
  }

  private static List<TensorType> matMul(Node n, boolean transA, boolean transB) {
    Shape a = n.input(0).shape();
    Shape b = n.input(1).shape();
    DType dtype = ShapeRules.sameDtype(n);
    if (a.rank() == 0 || b.rank() == 0) {
      throw n.error("operands must have rank >= 1, got " + a + " × " + b);
    }
    Shape ea = a.rank() == 1 ? Shape.of(Dim.of(1), a.dim(0)) : a;
    Shape eb = b.rank() == 1 ? Shape.of(b.dim(0), Dim.of(1)) : b;
    if (transA) {
      ea = swapLast(ea);
    }
    if (transB) {
      eb = swapLast(eb);
    }
    Dim k1 = ea.dim(-1);
    Dim k2 = eb.dim(-2);
    if (k1.isStatic() && k2.isStatic() && !k1.equals(k2)) {
      throw n.error(a + " × " + b + ", inner dims " + k1 + " ≠ " + k2);
    }
    Shape batch = broadcast(n, ea.slice(0, ea.rank() - 2), eb.slice(0, eb.rank() - 2));
    List<Dim> out = new ArrayList<>(batch.dims());
    if (a.rank() != 1) {
      out.add(ea.dim(-2));
    }
    if (b.rank() != 1) {
      out.add(eb.dim(-1));
    }
    return one(dtype, new Shape(out));
  }

  private static Shape swapLast(Shape s) {
    return s.with(-1, s.dim(-2)).with(-2, s.dim(-1));
  }

  private static List<TensorType> gemm(Node n) {
    Shape a = n.input(0).shape();
    Shape b = n.input(1).shape();
    if (a.rank() != 2 || b.rank() != 2) {
      throw n.error("operands must be 2-D, got " + a + " and " + b);
    }
    boolean ta = n.attrInt("transA", 0) == 1;
    boolean tb = n.attrInt("transB", 0) == 1;
    Dim m = ta ? a.dim(1) : a.dim(0);
    Dim k1 = ta ? a.dim(0) : a.dim(1);
    Dim k2 = tb ? b.dim(1) : b.dim(0);
    Dim cols = tb ? b.dim(0) : b.dim(1);
    if (k1.isStatic() && k2.isStatic() && !k1.equals(k2)) {
      throw n.error(a + (ta ? "ᵀ" : "") + " × " + b + (tb ? "ᵀ" : "") + ", inner dims " + k1 + " ≠ " + k2);
    }
    Shape out = Shape.of(m, cols);
    if (n.input(2) != null) {
      Shape c = broadcast(n, out, n.input(2).shape());
      if (!c.equals(out) && c.isStatic()) {
        throw n.error("bias " + n.input(2).shape() + " does not broadcast to " + out);
      }
    }
    return one(ShapeRules.sameDtype(n), out);
  }

  private static long[] ints(Node n, String key, int count, long fill) {
    long[] v = n.attrInts(key);
    if (v == null) {
      v = new long[count];
      Arrays.fill(v, fill);
    }
    return v;
  }

  private static List<TensorType> conv(Node n, boolean transpose) {
    Shape x = n.input(0).shape();
    Shape w = n.input(1).shape();
    int spatial = x.rank() - 2;
    String op = transpose ? "ConvTranspose" : "Conv";
    if (spatial < 1 || w.rank() != x.rank()) {
      throw n.error("expects X [N,C,...] and W of the same rank, got " + x + " and " + w);
    }
    long group = n.attrInt("group", 1);
    long[] strides = ints(n, "strides", spatial, 1);
    long[] dil = ints(n, "dilations", spatial, 1);
    long[] pads = ints(n, "pads", 2 * spatial, 0);
    long[] outPad = ints(n, "output_padding", spatial, 0);
    Dim cin = x.dim(1);
    Dim outChannels;
    if (transpose) {
      if (cin.isStatic() && w.dim(0).isStatic() && !cin.equals(w.dim(0))) {
        throw n.error("X " + x + " has " + cin + " channels but W " + w + " expects " + w.dim(0));
      }
      outChannels = w.dim(1).times(Dim.of(group));
    } else {
      Dim expected = w.dim(1).times(Dim.of(group));
      if (cin.isStatic() && expected.isStatic() && !cin.equals(expected)) {
        throw n.error("X " + x + " has " + cin + " channels but W " + w + " with group " + group + " expects "
            + expected);
      }
      outChannels = w.dim(0);
    }
    if (n.input(2) != null && !n.input(2).shape().dim(0).equals(outChannels)) {
      throw n.error("bias " + n.input(2).shape() + " does not match " + outChannels + " output channels");
    }
    List<Dim> out = new ArrayList<>(List.of(x.dim(0), outChannels));
    for (int i = 0; i < spatial; i++) {
      Dim in = x.dim(2 + i);
      long k = w.dim(2 + i).size();
      if (!in.isStatic()) {
        out.add(Dim.unknown());
        continue;
      }
      long size;
      if (transpose) {
        size = strides[i] * (in.size() - 1) + outPad[i] + (k - 1) * dil[i] + 1 - pads[i] - pads[i + spatial];
      } else {
        size = (in.size() + pads[i] + pads[i + spatial] - dil[i] * (k - 1) - 1) / strides[i] + 1;
      }
      if (size <= 0) {
        throw n.error(op + " output would be empty: input " + x + ", kernel " + w);
      }
      out.add(Dim.of(size));
    }
    return one(ShapeRules.sameDtype(n), new Shape(out));
  }

  private static List<TensorType> pool(Node n) {
    Shape x = n.input(0).shape();
    int spatial = x.rank() - 2;
    long[] kernel = n.attrInts("kernel_shape");
    if (kernel == null || kernel.length != spatial) {
      throw n.error("kernel_shape must have " + spatial + " entries for input " + x);
    }
    long[] strides = ints(n, "strides", spatial, 1);
    long[] pads = ints(n, "pads", 2 * spatial, 0);
    List<Dim> out = new ArrayList<>(List.of(x.dim(0), x.dim(1)));
    for (int i = 0; i < spatial; i++) {
      Dim in = x.dim(2 + i);
      out.add(in.isStatic()
          ? Dim.of((in.size() + pads[i] + pads[i + spatial] - kernel[i]) / strides[i] + 1)
          : Dim.unknown());
    }
    Shape y = new Shape(out);
    // MaxPool's optional second output holds each maximum's flat index into X (its gradient reads it).
    return n.opType().equals("MaxPool")
        ? List.of(new TensorType(n.input(0).dtype(), y), new TensorType(DType.INT64, y))
        : one(n.input(0).dtype(), y);
  }

  private static List<TensorType> resize(Node n) {
    Shape x = n.input(0).shape();
    Value scalesValue = n.input(2);
    Value sizesValue = n.input(3);
    List<Dim> out = new ArrayList<>();
    if (sizesValue != null) {
      long[] sizes = LayoutRules.requireConstant(n, 3, "sizes");
      for (long s : sizes) {
        out.add(Dim.of(s));
      }
    } else if (scalesValue != null && scalesValue.constantValue() != null) {
      double[] scales = dev.kiln.graph.onnx.TensorProtos.toDoubles(scalesValue.constantValue());
      if (scales.length != x.rank()) {
        throw n.error("scales " + Arrays.toString(scales) + " need one entry per axis of " + x);
      }
      for (int i = 0; i < scales.length; i++) {
        Dim d = x.dim(i);
        if (scales[i] == 1.0) {
          out.add(d);
        } else if (d.isStatic()) {
          out.add(Dim.of((long) Math.floor(d.size() * scales[i])));
        } else {
          out.add(Dim.unknown());
        }
      }
    } else {
      throw n.error("needs constant scales or sizes");
    }
    return one(n.input(0).dtype(), new Shape(out));
  }

  /** Explicit-mode einsum ({@code "bij,bjk->bik"}); implicit output is the sorted once-seen labels. */
  private static List<TensorType> einsum(Node n) {
    String eq = n.attrString("equation", "").replace(" ", "");
    if (eq.contains(".")) {
      throw n.error("ellipsis in equation `" + eq + "` is not supported; name every axis");
    }
    String[] sides = eq.split("->", -1);
    String[] terms = sides[0].split(",", -1);
    if (terms.length != n.inputs().size()) {
      throw n.error("equation `" + eq + "` has " + terms.length + " operands but " + n.inputs().size()
          + " inputs were given");
    }
    Map<Character, Dim> sizes = new LinkedHashMap<>();
    Map<Character, Integer> counts = new LinkedHashMap<>();
    for (int t = 0; t < terms.length; t++) {
      Shape s = n.input(t).shape();
      if (terms[t].length() != s.rank()) {
        throw n.error("operand " + t + " `" + terms[t] + "` does not match input " + s);
      }
      for (int i = 0; i < terms[t].length(); i++) {
        char c = terms[t].charAt(i);
        Dim d = s.dim(i);
        Dim prev = sizes.get(c);
        if (prev == null || prev.is(1)) {
          sizes.put(c, d);
        } else if (!d.is(1) && prev.isStatic() && d.isStatic() && !prev.equals(d)) {
          throw n.error("label `" + c + "` is " + prev + " in one operand and " + d + " in another");
        }
        counts.merge(c, 1, Integer::sum);
      }
    }
    String outLabels;
    if (sides.length == 2) {
      outLabels = sides[1];
    } else {
      StringBuilder sb = new StringBuilder();
      counts.entrySet().stream().filter(e -> e.getValue() == 1).map(Map.Entry::getKey).sorted()
          .forEach(sb::append);
      outLabels = sb.toString();
    }
    List<Dim> out = new ArrayList<>();
    for (char c : outLabels.toCharArray()) {
      Dim d = sizes.get(c);
      if (d == null) {
        throw n.error("output label `" + c + "` does not appear in any operand of `" + eq + "`");
      }
      out.add(d);
    }
    return one(ShapeRules.sameDtype(n), new Shape(out));
  }
}
