package dev.kiln.autodiff;

import static dev.kiln.autodiff.ElementwiseGradients.grads;

import dev.kiln.graph.Attribute;
import dev.kiln.graph.Dim;
import dev.kiln.graph.Graph;
import dev.kiln.graph.NnOps.ConvOptions;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.TensorProtos;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Derivatives of the neural-network operators: products, softmax, norms, convolutions, pooling, resize. */
final class NnGradients {

  private NnGradients() {}

  static void register(GradientRegistry r) {
    r.put("MatMul", NnGradients::matMul);
    r.put("com.microsoft.FusedMatMul", NnGradients::fusedMatMul);
    r.put("Gemm", NnGradients::gemm);
    // softmax: dx = y ⊙ (dy − Σ dy⊙y)
    r.put("Softmax", c -> {
      Graph g = c.g();
      Value y = c.out(0);
      long axis = c.attrInt("axis", -1);
      return grads(g.mul(y, g.sub(c.dy(), g.reduceSum(g.mul(c.dy(), y), true, axis))));
    });
    // log-softmax: dx = dy − exp(y) ⊙ Σ dy
    r.put("LogSoftmax", c -> {
      Graph g = c.g();
      long axis = c.attrInt("axis", -1);
      return grads(g.sub(c.dy(), g.mul(g.exp(c.out(0)), g.reduceSum(c.dy(), true, axis))));
    });
    r.put("LayerNormalization", NnGradients::layerNorm);
    r.put("Conv", NnGradients::conv);
    r.put("ConvTranspose", NnGradients::convTranspose);
    r.put("AveragePool", NnGradients::averagePool);
    r.put("MaxPool", NnGradients::maxPool);
    // global average pool: spread dy evenly over the spatial axes
    r.put("GlobalAveragePool", c -> {
      Shape s = c.in(0).shape();
      long area = s.slice(2, s.rank()).size();
      return grads(c.g().expandLike(c.g().div(c.dy(), area), c.in(0)));
    });
    r.put("Resize", NnGradients::resizeNearest);
    r.put("Einsum", NnGradients::einsum);
    r.put("GridSample", NnGradients::gridSampleBilinear);
  }

  private static int[] swapLastPerm(int rank) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = i;
    }
    p[rank - 1] = rank - 2;
    p[rank - 2] = rank - 1;
    return p;
  }

  /** Y = A·B: dA = dY·Bᵀ, dB = Aᵀ·dY, each summed over broadcast batch axes. */
  private static List<Value> matMul(GradContext c) {
    Graph g = c.g();
    Value a = c.in(0);
    Value b = c.in(1);
    Value dy = c.dy();
    if (a.rank() == 1 || b.rank() == 1) {
      Value a2 = a.rank() == 1 ? g.unsqueeze(a, 0) : a;
      Value b2 = b.rank() == 1 ? g.unsqueeze(b, 1) : b;
      Value dy2 = dy;
      if (a.rank() == 1) {
        dy2 = g.unsqueeze(dy2, dy2.rank() == 0 ? 0 : dy2.rank() - (b.rank() == 1 ? 0 : 1));
      }
      if (b.rank() == 1) {
        dy2 = g.unsqueeze(dy2, dy2.rank());
      }
      return grads(
          c.needs(0) ? g.reshapeLike(c.unbroadcast(g.matMul(dy2, g.transpose(b2, swapLastPerm(b2.rank()))),
              a2), a) : null,
          c.needs(1) ? g.reshapeLike(c.unbroadcast(g.matMul(g.transpose(a2, swapLastPerm(a2.rank())), dy2), b2),
              b) : null);
    }
    if (b.rank() == 2) {
      // A shared 2-D weight: one GEMM over all leading axes instead of a batched product and a sum.
      Value da = c.needs(0) ? g.matMul(dy, g.transpose(b, 1, 0)) : null;
      Value db = null;
      if (c.needs(1)) {
        Value a2 = a.rank() == 2 ? a : g.reshape(a, -1, b.shape().dim(0).size());
        Value dy2 = dy.rank() == 2 ? dy : g.reshape(dy, -1, b.shape().dim(1).size());
        db = g.gemm(a2, dy2, null, 1, 0, true, false);
      }
      return grads(da == null ? null : c.unbroadcast(da, a), db);
    }
    return grads(
        c.needs(0) ? c.unbroadcast(g.matMul(dy, g.transpose(b, swapLastPerm(b.rank()))), a) : null,
        c.needs(1) ? c.unbroadcast(g.matMul(g.transpose(a, swapLastPerm(a.rank())), dy), b) : null);
  }

  /**
   * com.microsoft FusedMatMul, Y = α·op(A)·op(B), which Kiln meets in models ONNX Runtime optimised:
   * with A' = op(A), B' = op(B), dA' = α·dY·B'ᵀ and dB' = α·A'ᵀ·dY, transposed back where op transposes.
   */
  private static List<Value> fusedMatMul(GradContext c) {
    Graph g = c.g();
    if (c.attrInt("transBatchA", 0) != 0 || c.attrInt("transBatchB", 0) != 0) {
      throw c.error("transBatchA and transBatchB are not differentiable here");
    }
    if (c.in(0).rank() < 2 || c.in(1).rank() < 2) {
      throw c.error("only operands of rank ≥ 2 are differentiable here, got " + c.in(0).shape() + " and "
          + c.in(1).shape());
    }
    boolean ta = c.attrInt("transA", 0) == 1;
    boolean tb = c.attrInt("transB", 0) == 1;
    Value a = ta ? g.transpose(c.in(0), swapLastPerm(c.in(0).rank())) : c.in(0);
    Value b = tb ? g.transpose(c.in(1), swapLastPerm(c.in(1).rank())) : c.in(1);
    Value dy = g.mul(c.dy(), c.attrFloat("alpha", 1f));
    Value da = null;
    if (c.needs(0)) {
      da = c.unbroadcast(g.matMul(dy, g.transpose(b, swapLastPerm(b.rank()))), a);
      da = ta ? g.transpose(da, swapLastPerm(da.rank())) : da;
    }
    Value db = null;
    if (c.needs(1)) {
      db = c.unbroadcast(g.matMul(g.transpose(a, swapLastPerm(a.rank())), dy), b);
      db = tb ? g.transpose(db, swapLastPerm(db.rank())) : db;
    }
    return grads(da, db);
  }

  /** Y = α·op(A)·op(B) + β·C. */
  private static List<Value> gemm(GradContext c) {
    Graph g = c.g();
    double alpha = c.attrFloat("alpha", 1f);
    double beta = c.attrFloat("beta", 1f);
    boolean ta = c.attrInt("transA", 0) == 1;
    boolean tb = c.attrInt("transB", 0) == 1;
    Value a = c.in(0);
    Value b = c.in(1);
    Value dy = c.dy();
    Value da = null;
    if (c.needs(0)) {
      da = ta ? g.gemm(b, dy, null, alpha, 0, tb, true) : g.gemm(dy, b, null, alpha, 0, false, !tb);
    }
    Value db = null;
    if (c.needs(1)) {
      db = tb ? g.gemm(dy, a, null, alpha, 0, true, ta) : g.gemm(a, dy, null, alpha, 0, !ta, false);
    }
    Value dc = c.in(2) != null && c.needs(2) ? c.unbroadcast(beta == 1 ? dy : g.mul(dy, beta), c.in(2)) : null;
    return grads(da, db, dc);
  }

  /** x̂ = (x−μ)/σ; dγ = Σ dy⊙x̂, dβ = Σ dy, dx = σ⁻¹(g − mean(g) − x̂⊙mean(g⊙x̂)) with g = dy⊙γ. */
  private static List<Value> layerNorm(GradContext c) {
    Graph g = c.g();
    Value x = c.in(0);
    int rank = x.rank();
    int axis = LayoutGradients.axis(c.attrInt("axis", -1), rank);
    long[] axes = new long[rank - axis];
    for (int i = axis; i < rank; i++) {
      axes[i - axis] = i;
    }
    double eps = c.attrFloat("epsilon", 1e-5f);
    Value dy = c.dy();
    Value centered = g.sub(x, g.reduceMean(x, true, axes));
    Value inv = g.reciprocal(g.sqrt(g.add(g.reduceMean(g.square(centered), true, axes), eps)));
    Value xhat = g.mul(centered, inv);
    Value dScale = c.needs(1) ? c.unbroadcast(g.mul(dy, xhat), c.in(1)) : null;
    Value dBias = c.in(2) != null && c.needs(2) ? c.unbroadcast(dy, c.in(2)) : null;
    Value dx = null;
    if (c.needs(0)) {
      Value gy = g.mul(dy, c.in(1));
      Value inner = g.sub(g.sub(gy, g.reduceMean(gy, true, axes)), g.mul(xhat, g.reduceMean(g.mul(gy, xhat), true,
          axes)));
      dx = g.mul(inv, inner);
    }
    return grads(dx, dScale, dBias);
  }

  private static long[] ints(GradContext c, String key, int n, long fill) {
    long[] v = c.attrInts(key);
    if (v == null) {
      v = new long[n];
      Arrays.fill(v, fill);
    }
    return v;
  }

  private static List<Value> conv(GradContext c) {
    Graph g = c.g();
    Value x = c.in(0);
    Value w = c.in(1);
    Value dy = c.dy();
    int spatial = x.rank() - 2;
    long group = c.attrInt("group", 1);
    long[] strides = ints(c, "strides", spatial, 1);
    long[] pads = ints(c, "pads", 2 * spatial, 0);
    long[] dil = ints(c, "dilations", spatial, 1);
    Value dx = null;
    if (c.needs(0)) {
      // dX is the transposed convolution of dY with the same kernel; output_padding recovers the exact size.
      long[] outPad = new long[spatial];
      for (int i = 0; i < spatial; i++) {
        long in = staticDim(c, x, 2 + i);
        long k = w.shape().dim(2 + i).size();
        long produced = strides[i] * (dy.shape().dim(2 + i).size() - 1) + (k - 1) * dil[i] + 1 - pads[i]
            - pads[i + spatial];
        outPad[i] = in - produced;
      }
      dx = g.convTranspose(dy, w, null, new ConvOptions(strides, pads, dil, group, new long[spatial])
          .withOutputPadding(outPad));
    }
    Value dw = null;
    if (c.needs(1)) {
      if (group != 1) {
        throw c.error("kernel gradient of grouped convolution (group " + group + ") is not supported");
      }
      dw = kernelGradient(g, x, dy, w.shape(), strides, pads, dil);
    }
    Value db = c.in(2) != null && c.needs(2) ? g.reduceSum(dy, false, nonChannelAxes(dy.rank())) : null;
    return grads(dx, dw, db);
  }

  private static List<Value> convTranspose(GradContext c) {
    Graph g = c.g();
    Value x = c.in(0);
    Value w = c.in(1);
    Value dy = c.dy();
    int spatial = x.rank() - 2;
    long group = c.attrInt("group", 1);
    long[] strides = ints(c, "strides", spatial, 1);
    long[] pads = ints(c, "pads", 2 * spatial, 0);
    long[] dil = ints(c, "dilations", spatial, 1);
    // dX of a transposed convolution is the ordinary convolution of dY with the same kernel.
    Value dx = c.needs(0) ? g.conv(dy, w, null, new ConvOptions(strides, pads, dil, group, new long[spatial])) : null;
    Value dw = null;
    if (c.needs(1)) {
      if (group != 1) {
        throw c.error("kernel gradient of grouped transposed convolution is not supported");
      }
      dw = kernelGradient(g, dy, x, w.shape(), strides, pads, dil);
    }
    Value db = c.in(2) != null && c.needs(2) ? g.reduceSum(dy, false, nonChannelAxes(dy.rank())) : null;
    return grads(dx, dw, db);
  }

  /**
   * dW[m,c,k] = Σ_n Σ_o dY[n,m,o]·X[n,c,o·s + k·d − p]: a convolution of X (batch and channels swapped)
   * with dY as the kernel, stride and dilation exchanged, cropped to the kernel size.
   */
  private static Value kernelGradient(Graph g, Value x, Value dy, Shape kernel, long[] strides, long[] pads,
      long[] dil) {
    int rank = x.rank();
    int[] swap = new int[rank];
    for (int i = 0; i < rank; i++) {
      swap[i] = i;
    }
    swap[0] = 1;
    swap[1] = 0;
    Value xt = g.transpose(x, swap);
    Value dyt = g.transpose(dy, swap);
    Value r = g.conv(xt, dyt, null, new ConvOptions(dil, pads, strides, 1, new long[rank - 2]));
    Value dw = g.transpose(r, swap);
    Shape got = dw.shape();
    long[] starts = new long[rank - 2];
    long[] ends = new long[rank - 2];
    long[] axes = new long[rank - 2];
    boolean crop = false;
    for (int i = 0; i < rank - 2; i++) {
      axes[i] = 2 + i;
      ends[i] = kernel.dim(2 + i).size();
      crop |= !got.dim(2 + i).equals(kernel.dim(2 + i));
    }
    return crop ? g.slice(dw, starts, ends, axes, null) : dw;
  }

  private static long[] nonChannelAxes(int rank) {
    long[] axes = new long[rank - 1];
    axes[0] = 0;
    for (int i = 2; i < rank; i++) {
      axes[i - 1] = i;
    }
    return axes;
  }

  private static long staticDim(GradContext c, Value v, int axis) {
    Dim d = v.shape().dim(axis);
    if (!d.isStatic()) {
      throw c.error("needs static spatial size, got " + v.shape());
    }
    return d.size();
  }

  /** Average pooling is a depthwise convolution with a constant kernel; its gradient is the transpose. */
  private static List<Value> averagePool(GradContext c) {
    Graph g = c.g();
    Value x = c.in(0);
    int spatial = x.rank() - 2;
    long[] kernel = c.attrInts("kernel_shape");
    long[] strides = ints(c, "strides", spatial, 1);
    long[] pads = ints(c, "pads", 2 * spatial, 0);
    if (Arrays.stream(pads).anyMatch(p -> p != 0) && c.attrInt("count_include_pad", 0) == 0) {
      throw c.error("padded average pooling without count_include_pad is not differentiable here");
    }
    long channels = staticDim(c, x, 1);
    long area = Arrays.stream(kernel).reduce(1, (p, q) -> p * q);
    long[] wShape = new long[x.rank()];
    wShape[0] = channels;
    wShape[1] = 1;
    System.arraycopy(kernel, 0, wShape, 2, spatial);
    double[] ones = new double[(int) (channels * area)];
    Arrays.fill(ones, 1.0 / area);
    Value w = g.constant(x.dtype(), Shape.of(wShape), ones);
    long[] outPad = new long[spatial];
    long[] dil = new long[spatial];
    Arrays.fill(dil, 1);
    for (int i = 0; i < spatial; i++) {
      long produced = strides[i] * (c.dy().shape().dim(2 + i).size() - 1) + kernel[i] - pads[i] - pads[i + spatial];
      outPad[i] = staticDim(c, x, 2 + i) - produced;
    }
    return grads(g.convTranspose(c.dy(), w, null, new ConvOptions(strides, pads, dil, channels, outPad)));
  }

  /**
   * Max pooling passes each window's dy to the element that won it. The forward node has no Indices
   * output, so the rule pools again asking for it: Indices holds each maximum's flat index into X
   * (row-major over N, C and the spatial axes, padding ignored; ties go to the first), whatever the
   * kernel, strides, pads or dilations, and overlapping windows add up in the scatter.
   */
  private static List<Value> maxPool(GradContext c) {
    Graph g = c.g();
    Value x = c.in(0);
    Map<String, Attribute> attrs = new LinkedHashMap<>(c.node().attributes());
    attrs.remove("storage_order");
    Value indices = g.apply("", "MaxPool", List.of(x), attrs, 2).get(1);
    Value flat = g.scatterElements(g.reshape(g.zerosLike(x), -1), g.reshape(indices, -1), g.reshape(c.dy(), -1), 0,
        "add");
    return grads(g.reshapeLike(flat, x));
  }

  /** Nearest upsampling by integer factors copies each input element; its gradient sums each block. */
  private static List<Value> resizeNearest(GradContext c) {
    Graph g = c.g();
    Value x = c.in(0);
    if (!c.node().attrString("mode", "nearest").equals("nearest") || c.in(2) == null
        || c.in(2).constantValue() == null) {
      throw c.error("only nearest resizing by constant scales is differentiable here");
    }
    double[] scales = TensorProtos.toDoubles(c.in(2).constantValue());
    List<Long> view = new ArrayList<>();
    List<Long> sumAxes = new ArrayList<>();
    boolean scaledSeen = false;
    for (int i = 0; i < scales.length; i++) {
      long s = Math.round(scales[i]);
      if (Math.abs(scales[i] - s) > 1e-6 || s < 1) {
        throw c.error("scale " + scales[i] + " is not a positive integer");
      }
      Dim d = x.shape().dim(i);
      if (s == 1) {
        view.add(scaledSeen ? staticDim(c, x, i) : 0L);
      } else {
        scaledSeen = true;
        view.add(staticDim(c, x, i));
        sumAxes.add((long) view.size());
        view.add(s);
      }
      if (!d.isStatic() && scaledSeen) {
        throw c.error("axes after the first resized one must be static, got " + x.shape());
      }
    }
    Value blocks = g.reshape(c.dy(), view.stream().mapToLong(Long::longValue).toArray());
    return grads(g.reduceSum(blocks, false, sumAxes.stream().mapToLong(Long::longValue).toArray()), null, null);
  }

  /** dA_k = einsum(out, other operands → labels of A_k), broadcast back over labels only A_k had. */
  private static List<Value> einsum(GradContext c) {
    Graph g = c.g();
    String eq = c.node().attrString("equation", "").replace(" ", "");
    String[] sides = eq.split("->", -1);
    String[] terms = sides[0].split(",", -1);
    String out = sides.length == 2 ? sides[1] : implicitOutput(terms);
    Value[] result = new Value[terms.length];
    for (int k = 0; k < terms.length; k++) {
      if (!c.needs(k)) {
        continue;
      }
      String term = terms[k];
      if (term.chars().distinct().count() != term.length()) {
        throw c.error("repeated label in operand `" + term + "` is not differentiable here");
      }
      StringBuilder available = new StringBuilder(out);
      List<Value> operands = new ArrayList<>(List.of(c.dy()));
      List<String> lhs = new ArrayList<>(List.of(out));
      for (int j = 0; j < terms.length; j++) {
        if (j != k) {
          lhs.add(terms[j]);
          operands.add(c.in(j));
          available.append(terms[j]);
        }
      }
      StringBuilder kept = new StringBuilder();
      List<Long> missing = new ArrayList<>();
      for (int i = 0; i < term.length(); i++) {
        if (available.indexOf(String.valueOf(term.charAt(i))) >= 0) {
          kept.append(term.charAt(i));
        } else {
          missing.add((long) i);
        }
      }
      Value gk = g.einsum(String.join(",", lhs) + "->" + kept, operands.toArray(new Value[0]));
      if (!missing.isEmpty()) {
        gk = g.expandLike(g.unsqueeze(gk, missing.stream().mapToLong(Long::longValue).toArray()), c.in(k));
      }
      result[k] = c.unbroadcast(gk, c.in(k));
    }
    return grads(result);
  }


  /**
   * Bilinear GridSample: out[n,c,p] = Σ_k w_k(p)·X[n,c,y_k(p),x_k(p)] over the four texels around
   * each sample point, so dX scatters dy·w_k back onto those texels. The scatter-add runs on
   * channel-last rows (ScatterND, reduction add, one C-vector per texel hit), which ONNX Runtime does
   * far faster than element-wise ScatterElements. Border padding clamps the texel indices (the
   * weights of clamped texels then add up on the edge texel, as in the forward pass); zeros padding
   * drops texels outside the image. The sampling grid gets no gradient.
   */
  private static List<Value> gridSampleBilinear(GradContext c) {
    Graph g = c.g();
    if (c.needs(1)) {
      throw c.error("the gradient with respect to the sampling grid is not supported");
    }
    String mode = c.node().attrString("mode", "bilinear");
    String padding = c.node().attrString("padding_mode", "zeros");
    if (!mode.equals("bilinear") && !mode.equals("linear")) {
      throw c.error("only bilinear sampling is differentiable here, got mode " + mode);
    }
    if (!padding.equals("zeros") && !padding.equals("border")) {
      throw c.error("only zeros and border padding are differentiable here, got " + padding);
    }
    boolean alignCorners = c.attrInt("align_corners", 0) == 1;
    Value x = c.in(0);
    long channels = staticDim(c, x, 1);
    long h = staticDim(c, x, 2);
    long w = staticDim(c, x, 3);
    List<Value> xy = g.split(c.in(1), 3, 1, 1);
    Value ix = gridToPixel(g, g.reshape(xy.get(0), 0, -1), w, alignCorners);
    Value iy = gridToPixel(g, g.reshape(xy.get(1), 0, -1), h, alignCorners);
    Value x0 = g.floor(ix);
    Value y0 = g.floor(iy);
    Value fx = g.sub(ix, x0);
    Value fy = g.sub(iy, y0);
    // Row of texel (n, y, x) in X viewed as [N·H·W, C]: n·H·W + y·W + x, in int64.
    Value ones = g.add(g.mul(g.slice(ix, 1, 0, 1), 0.0), 1.0);
    Value image = g.cast(g.cumSum(ones, 0, true, false), dev.kiln.graph.DType.INT64);
    Value imageRow = g.mul(image, g.constantLongs(h * w));
    Value dy = g.transpose(g.reshape(c.dy(), 0, 0, -1), 0, 2, 1);
    List<Value> rows = new ArrayList<>();
    List<Value> updates = new ArrayList<>();
    for (int oy = 0; oy <= 1; oy++) {
      for (int ox = 0; ox <= 1; ox++) {
        Value cx = ox == 0 ? x0 : g.add(x0, 1.0);
        Value cy = oy == 0 ? y0 : g.add(y0, 1.0);
        Value weight = g.mul(ox == 0 ? g.sub(1.0, fx) : fx, oy == 0 ? g.sub(1.0, fy) : fy);
        if (padding.equals("zeros")) {
          weight = g.mul(weight, g.mul(inside(g, cx, w), inside(g, cy, h)));
        }
        Value texel = g.add(g.mul(g.cast(g.clip(cy, 0, h - 1), dev.kiln.graph.DType.INT64), g.constantLongs(w)),
            g.cast(g.clip(cx, 0, w - 1), dev.kiln.graph.DType.INT64));
        rows.add(g.unsqueeze(g.add(imageRow, texel), 2));
        updates.add(g.mul(dy, g.unsqueeze(weight, 2)));
      }
    }
    Value index = g.reshape(g.concat(1, rows), -1, 1);
    Value update = g.reshape(g.concat(1, updates), -1, channels);
    Value channelLast = g.zerosLike(g.transpose(x, 0, 2, 3, 1));
    Value dx = g.scatterND(g.reshape(channelLast, -1, channels), index, update, "add");
    return grads(g.transpose(g.reshapeLike(dx, channelLast), 0, 3, 1, 2), null);
  }

  /** Grid coordinate in [−1, 1] → pixel coordinate (pixel centres at integers). */
  private static Value gridToPixel(Graph g, Value coord, long size, boolean alignCorners) {
    return alignCorners
        ? g.mul(g.add(coord, 1.0), (size - 1) / 2.0)
        : g.div(g.sub(g.mul(g.add(coord, 1.0), (double) size), 1.0), 2.0);
  }

  /** 1 where the texel index {@code i} lies in [0, size − 1], else 0. */
  private static Value inside(Graph g, Value i, long size) {
    Value lo = g.not(g.less(i, g.scalarLike(i, 0)));
    Value hi = g.not(g.greater(i, g.scalarLike(i, size - 1)));
    return g.cast(g.and(lo, hi), i.dtype());
  }

  private static String implicitOutput(String[] terms) {
    int[] counts = new int[128];
    for (String t : terms) {
      for (char ch : t.toCharArray()) {
        counts[ch]++;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (char ch = 0; ch < 128; ch++) {
      if (counts[ch] == 1) {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
