package dev.kiln.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Neural-network operators: products, normalisation, convolution, pooling, resampling. */
public sealed interface NnOps permits Graph {

  private Graph g() {
    return (Graph) this;
  }

  /** Numpy matmul with batch broadcasting. */
  default Value matMul(Value a, Value b) {
    return g().apply("MatMul", List.of(a, b), Map.of());
  }

  /** {@code alpha·op(A)·op(B) + beta·C} for 2-D operands; {@code c} may be null. */
  default Value gemm(Value a, Value b, Value c, double alpha, double beta, boolean transA, boolean transB) {
    List<Value> in = new ArrayList<>(List.of(a, b));
    if (c != null) {
      in.add(c);
    }
    return g().apply("Gemm", in, Graph.attrs("alpha", (float) alpha, "beta", (float) beta,
        "transA", transA ? 1L : 0L, "transB", transB ? 1L : 0L));
  }

  default Value softmax(Value x, int axis) {
    return g().apply("Softmax", List.of(x), Graph.attrs("axis", (long) axis));
  }

  default Value logSoftmax(Value x, int axis) {
    return g().apply("LogSoftmax", List.of(x), Graph.attrs("axis", (long) axis));
  }

  /** LayerNormalization over axes {@code axis..}; {@code bias} may be null. */
  default Value layerNorm(Value x, Value scale, Value bias, int axis, double epsilon) {
    List<Value> in = new ArrayList<>(List.of(x, scale));
    if (bias != null) {
      in.add(bias);
    }
    return g().apply("LayerNormalization", in, Graph.attrs("axis", (long) axis, "epsilon", (float) epsilon));
  }

  /** Convolution settings; {@code pads} is {@code [begin…, end…]}. */
  record ConvOptions(long[] strides, long[] pads, long[] dilations, long group, long[] outputPadding) {

    /** Stride 1, no padding, no dilation, one group, for {@code spatial} spatial axes. */
    public static ConvOptions defaults(int spatial) {
      long[] ones = new long[spatial];
      Arrays.fill(ones, 1);
      return new ConvOptions(ones, new long[2 * spatial], ones.clone(), 1, new long[spatial]);
    }

    /** Symmetric padding {@code pad} and stride {@code stride} on every spatial axis. */
    public static ConvOptions of(int spatial, long stride, long pad) {
      long[] s = new long[spatial];
      Arrays.fill(s, stride);
      long[] p = new long[2 * spatial];
      Arrays.fill(p, pad);
      ConvOptions d = defaults(spatial);
      return new ConvOptions(s, p, d.dilations(), 1, d.outputPadding());
    }

    public ConvOptions withGroup(long g) {
      return new ConvOptions(strides, pads, dilations, g, outputPadding);
    }

    public ConvOptions withOutputPadding(long... op) {
      return new ConvOptions(strides, pads, dilations, group, op);
    }

    Map<String, Attribute> attributes(boolean transpose) {
      Map<String, Attribute> a = Graph.attrs("strides", strides, "pads", pads, "dilations", dilations,
          "group", group);
      if (transpose && Arrays.stream(outputPadding).anyMatch(v -> v != 0)) {
        a.put("output_padding", Attribute.of(outputPadding));
      }
      return a;
    }
  }

  /** N-d convolution, X [N,C,...], W [M, C/group, k...], bias [M] or null. */
  default Value conv(Value x, Value w, Value bias, ConvOptions o) {
    List<Value> in = new ArrayList<>(List.of(x, w));
    if (bias != null) {
      in.add(bias);
    }
    return g().apply("Conv", in, o.attributes(false));
  }

  /** Transposed convolution, X [N,C,...], W [C, M/group, k...], bias [M] or null. */
  default Value convTranspose(Value x, Value w, Value bias, ConvOptions o) {
    List<Value> in = new ArrayList<>(List.of(x, w));
    if (bias != null) {
      in.add(bias);
    }
    return g().apply("ConvTranspose", in, o.attributes(true));
  }

  /** Average pooling, padding excluded from the count. */
  default Value averagePool(Value x, long[] kernel, long[] strides, long[] pads) {
    return g().apply("AveragePool", List.of(x), Graph.attrs("kernel_shape", kernel, "strides", strides,
        "pads", pads));
  }

  default Value maxPool(Value x, long[] kernel, long[] strides, long[] pads) {
    return g().apply("MaxPool", List.of(x), Graph.attrs("kernel_shape", kernel, "strides", strides, "pads", pads));
  }

  /** Mean over every spatial axis, kept as size-1 axes. */
  default Value globalAveragePool(Value x) {
    return g().apply("GlobalAveragePool", List.of(x), Map.of());
  }

  /**
   * Resize by per-axis {@code scales}; {@code mode} is {@code nearest} or {@code linear}. Nearest uses
   * {@code asymmetric} coordinates with {@code floor} rounding (exact integer upsampling); linear uses
   * {@code half_pixel}.
   */
  default Value resize(Value x, double[] scales, String mode) {
    float[] f = new float[scales.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) scales[i];
    }
    Value s = g().constant(dev.kiln.graph.onnx.TensorProtos.ofFloats(new long[] {f.length}, f));
    Map<String, Attribute> a = mode.equals("nearest")
        ? Graph.attrs("mode", mode, "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor")
        : Graph.attrs("mode", mode, "coordinate_transformation_mode", "half_pixel");
    return g().apply("Resize", Arrays.asList(x, null, s), a);
  }

  /** Bilinear (or nearest) sampling of X [N,C,H,W] at grid [N,Ho,Wo,2] in [-1,1] (x, y) coordinates. */
  default Value gridSample(Value x, Value grid, String mode, String paddingMode, boolean alignCorners) {
    return g().apply("GridSample", List.of(x, grid), Graph.attrs("mode", mode, "padding_mode", paddingMode,
        "align_corners", alignCorners ? 1L : 0L));
  }

  /** Einstein summation, e.g. {@code einsum("bhqd,bhkd->bhqk", q, k)}. */
  default Value einsum(String equation, Value... xs) {
    return g().apply("Einsum", Arrays.asList(xs), Graph.attrs("equation", equation));
  }
}
