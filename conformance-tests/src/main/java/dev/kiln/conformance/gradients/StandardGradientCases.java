package dev.kiln.conformance.gradients;

import static dev.kiln.conformance.gradients.GradientCase.float32;
import static dev.kiln.conformance.gradients.GradientCase.of;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.NnOps.ConvOptions;
import dev.kiln.graph.Value;
import java.util.List;
import java.util.Map;

/** Finite-difference cases for every gradient rule in {@code GradientRegistry.standard()}. */
public final class StandardGradientCases {

  private StandardGradientCases() {}

  /** All cases, with broadcasting variants for the binary operators. */
  public static List<GradientCase> all() {
    return List.of(
        of("Add", "broadcast [2,3,4] + [3,1]", in -> in.g().add(in.normal("a", 2, 3, 4), in.normal("b", 3, 1))),
        of("Add", "shared operand x + x", in -> {
          Value x = in.normal("x", 3, 2);
          return in.g().add(x, in.g().mul(x, x));
        }),
        of("Sub", "broadcast [4] − [2,3,4]", in -> in.g().sub(in.normal("a", 4), in.normal("b", 2, 3, 4))),
        of("Mul", "broadcast [2,1,4] · [3,1]", in -> in.g().mul(in.normal("a", 2, 1, 4), in.normal("b", 3, 1))),
        of("Div", "broadcast [2,3] / [3]", in -> in.g().div(in.normal("a", 2, 3), in.positive("b", 3))),
        of("Pow", "both operands", in -> in.g().pow(in.positive("a", 2, 3), in.uniform("b", -1.5, 2.5, 3))),
        of("Pow", "constant exponent", in -> in.g().pow(in.normal("a", 2, 3), 3.0)),
        of("Neg", "[5]", in -> in.g().neg(in.normal("x", 5))),
        of("Identity", "[5]", in -> in.g().identity(in.normal("x", 5))),
        of("Abs", "[2,4]", in -> in.g().abs(in.normal("x", 2, 4))),
        of("Sqrt", "[2,4]", in -> in.g().sqrt(in.positive("x", 2, 4))),
        of("Exp", "[2,4]", in -> in.g().exp(in.normal("x", 2, 4))),
        of("Log", "[2,4]", in -> in.g().log(in.positive("x", 2, 4))),
        of("Reciprocal", "[2,4]", in -> in.g().reciprocal(in.positive("x", 2, 4))),
        of("Relu", "[3,4]", in -> in.g().relu(in.normal("x", 3, 4))),
        float32("LeakyRelu", "[3,4]", in -> in.g().leakyRelu(in.normal("x", 3, 4), 0.2)),
        of("Sigmoid", "[3,4]", in -> in.g().sigmoid(in.normal("x", 3, 4))),
        of("Tanh", "[3,4]", in -> in.g().tanh(in.normal("x", 3, 4))),
        float32("Erf", "[3,4]", in -> in.g().erf(in.normal("x", 3, 4))),
        float32("Softplus", "[3,4]", in -> in.g().softplus(in.normal("x", 3, 4))),
        float32("Sin", "[3,4]", in -> in.g().sin(in.normal("x", 3, 4))),
        float32("Cos", "[3,4]", in -> in.g().cos(in.normal("x", 3, 4))),
        float32("Atan", "[3,4]", in -> in.g().apply("Atan", List.of(in.normal("x", 3, 4)), Map.of())),
        of("Sign", "[3,4]", in -> in.g().sign(in.normal("x", 3, 4))),
        of("Floor", "[3,4] spread over several integers", in -> in.g().floor(in.g().mul(in.normal("x", 3, 4), 3.0))),
        of("Ceil", "[3,4] spread over several integers", in -> in.g().apply("Ceil",
            List.of(in.g().mul(in.normal("x", 3, 4), 3.0)), Map.of())),
        of("Round", "[3,4] spread over several integers", in -> in.g().apply("Round",
            List.of(in.g().mul(in.normal("x", 3, 4), 3.0)), Map.of())),
        of("Clip", "[-0.5, 0.7]", in -> in.g().clip(in.normal("x", 4, 5), -0.5, 0.7)),
        of("Max", "broadcast [2,3] vs [3]", in -> in.g().max(in.normal("a", 2, 3), in.normal("b", 3))),
        of("Min", "broadcast [2,3] vs [3]", in -> in.g().min(in.normal("a", 2, 3), in.normal("b", 3))),
        of("Sum", "three inputs with broadcast", in -> in.g().apply("Sum",
            List.of(in.normal("a", 2, 3), in.normal("b", 3), in.normal("c", 2, 1)), Map.of())),
        float32("Mean", "three inputs with broadcast", in -> in.g().apply("Mean",
            List.of(in.normal("a", 2, 3), in.normal("b", 3), in.normal("c", 2, 1)), Map.of())),
        of("Where", "broadcast branches", in -> {
          Graph g = in.g();
          Value cond = g.greater(in.fixedNormal("c", 2, 3), g.scalar(0));
          return g.where(cond, in.normal("a", 2, 3), in.normal("b", 3));
        }),
        float32("Cast", "float → double → float", in -> {
          Graph g = in.g();
          return g.cast(g.mul(g.cast(in.normal("x", 2, 3), DType.DOUBLE), g.scalar(DType.DOUBLE, 3)), DType.FLOAT);
        }),
        of("Reshape", "[2,3,4] → [6,-1]", in -> in.g().reshape(in.normal("x", 2, 3, 4), 6, -1)),
        of("Flatten", "axis 2", in -> in.g().flatten(in.normal("x", 2, 3, 4), 2)),
        of("Squeeze", "axis 1", in -> in.g().squeeze(in.normal("x", 2, 1, 4), 1)),
        of("Unsqueeze", "axes 0, 3", in -> in.g().unsqueeze(in.normal("x", 2, 4), 0, 3)),
        of("Transpose", "perm [2,0,1]", in -> in.g().transpose(in.normal("x", 2, 3, 4), 2, 0, 1)),
        of("Concat", "axis 1", in -> in.g().concat(1, in.normal("a", 2, 3), in.normal("b", 2, 2))),
        of("Split", "one output unused", in -> in.g().split(in.normal("x", 2, 7), 1, 3, 4).get(1)),
        of("Slice", "two axes with negative start", in -> in.g().slice(in.normal("x", 4, 6),
            new long[] {1, -4}, new long[] {3, 5}, new long[] {0, 1}, null)),
        of("Slice", "strided and reversed", in -> in.g().slice(in.normal("x", 5, 7),
            new long[] {4, 0}, new long[] {-6, 7}, new long[] {0, 1}, new long[] {-2, 3})),
        of("Pad", "constant", in -> in.g().pad(in.normal("x", 2, 3), new long[] {1, 0, 2, 2}, 0.5)),
        of("Expand", "[3,1] → [2,3,4]", in -> in.g().expand(in.normal("x", 3, 1), 2, 3, 4)),
        of("Tile", "[2,3] × [2,3]", in -> in.g().tile(in.normal("x", 2, 3), 2, 3)),
        of("Gather", "embedding rows with repeats", in -> in.g().gather(in.normal("table", 5, 3),
            in.fixedIndices("ids", new long[] {0, 2, 2, 4, 1, 0}, 2, 3), 0)),
        of("Gather", "axis 1, scalar-free", in -> in.g().gather(in.normal("x", 2, 5, 3),
            in.fixedIndices("ids", new long[] {4, 0, 4}, 3), 1)),
        of("GatherElements", "axis 1", in -> in.g().gatherElements(in.normal("x", 3, 4),
            in.indices("i", 4, 3, 5), 1)),
        of("GatherND", "pairs", in -> in.g().gatherND(in.normal("x", 3, 4, 2),
            in.fixedIndices("i", new long[] {0, 1, 2, 3, 0, 1}, 3, 2))),
        of("ScatterElements", "overwrite", in -> in.g().scatterElements(in.normal("data", 3, 4),
            in.fixedIndices("i", new long[] {1, 3, 0, 2, 0, 1}, 3, 2), in.normal("u", 3, 2), 1, "none")),
        of("ScatterElements", "add", in -> in.g().scatterElements(in.normal("data", 3, 4),
            in.fixedIndices("i", new long[] {1, 1, 0, 2, 3, 3}, 3, 2), in.normal("u", 3, 2), 1, "add")),
        of("ScatterND", "rows", in -> in.g().scatterND(in.normal("data", 4, 3),
            in.fixedIndices("i", new long[] {2, 0}, 2, 1), in.normal("u", 2, 3), "none")),
        of("CumSum", "exclusive reverse", in -> in.g().cumSum(in.normal("x", 3, 5), 1, true, true)),
        of("CumSum", "inclusive", in -> in.g().cumSum(in.normal("x", 3, 5), 0, false, false)),
        of("ReduceSum", "axes [0,2] dropped", in -> in.g().reduceSum(in.normal("x", 2, 3, 4), false, 0, 2)),
        of("ReduceMean", "axis -1 kept", in -> in.g().reduceMean(in.normal("x", 2, 3, 4), true, -1)),
        of("ReduceMax", "axis 1", in -> in.g().reduceMax(in.normal("x", 2, 5, 3), false, 1)),
        of("ReduceMin", "axis 0 kept", in -> in.g().reduceMin(in.normal("x", 4, 3), true, 0)),
        of("ReduceLogSumExp", "axis 1 dropped", in -> reduce(in, "ReduceLogSumExp", in.normal("x", 2, 5, 3), false, 1)),
        of("ReduceLogSumExp", "axes [0,2] kept", in -> reduce(in, "ReduceLogSumExp", in.normal("x", 2, 3, 4), true,
            0, 2)),
        of("ReduceSumSquare", "axis -1 dropped", in -> reduce(in, "ReduceSumSquare", in.normal("x", 2, 3, 4), false,
            -1)),
        of("ReduceProd", "axis 1 kept", in -> reduce(in, "ReduceProd", in.normal("x", 3, 4, 2), true, 1)),
        of("ReduceProd", "rows with no, one and two exact zeros", in -> reduce(in, "ReduceProd", in.given("x",
            new double[] {0.5, -1.2, 0.8, 1.4, 0.7, 0, -1.1, 0.9, 0, 1.3, 0, -0.6}, 3, 4), false, 1)),
        of("MatMul", "batched with broadcast", in -> in.g().matMul(in.normal("a", 2, 1, 3, 4),
            in.normal("b", 3, 4, 2))),
        of("MatMul", "activations × 2-D weight", in -> in.g().matMul(in.normal("a", 2, 3, 4), in.normal("w", 4, 5))),
        of("MatMul", "vector × matrix", in -> in.g().matMul(in.normal("a", 4), in.normal("b", 2, 4, 3))),
        of("MatMul", "matrix × vector", in -> in.g().matMul(in.normal("a", 3, 4), in.normal("b", 4))),
        float32("com.microsoft.FusedMatMul", "transA transB α, broadcast batch", in -> in.g().apply("com.microsoft",
            "FusedMatMul", List.of(in.normal("a", 2, 4, 3), in.normal("b", 5, 4)),
            Graph.attrs("transA", 1L, "transB", 1L, "alpha", 0.5f), 1).get(0)),
        of("Gemm", "transA transB α β", in -> in.g().gemm(in.normal("a", 4, 3), in.normal("b", 5, 4),
            in.normal("c", 5), 0.7, 1.3, true, true)),
        of("Gemm", "plain", in -> in.g().gemm(in.normal("a", 3, 4), in.normal("b", 4, 5), in.normal("c", 3, 1),
            1, 1, false, false)),
        of("Softmax", "axis 1", in -> in.g().softmax(in.normal("x", 2, 5, 3), 1)),
        of("LogSoftmax", "axis -1", in -> in.g().logSoftmax(in.normal("x", 3, 6), -1)),
        float32("LayerNormalization", "last axis", in -> in.g().layerNorm(in.normal("x", 3, 6),
            in.normal("scale", 6), in.normal("bias", 6), -1, 1e-5)),
        float32("LayerNormalization", "two axes, no bias", in -> in.g().layerNorm(in.normal("x", 2, 3, 4),
            in.normal("scale", 3, 4), null, 1, 1e-5)),
        float32("Conv", "stride 2 pad 1", in -> in.g().conv(in.normal("x", 2, 3, 7, 6), in.normal("w", 4, 3, 3, 3),
            in.normal("b", 4), ConvOptions.of(2, 2, 1))),
        float32("Conv", "1-D dilated", in -> in.g().conv(in.normal("x", 2, 2, 9), in.normal("w", 3, 2, 3), null,
            new ConvOptions(new long[] {1}, new long[] {2, 1}, new long[] {2}, 1, new long[] {0}))),
        float32("ConvTranspose", "stride 2 pad 1", in -> in.g().convTranspose(in.normal("x", 2, 3, 4, 3),
            in.normal("w", 3, 2, 4, 4), in.normal("b", 2), ConvOptions.of(2, 2, 1))),
        float32("AveragePool", "2×2 stride 2", in -> in.g().averagePool(in.normal("x", 2, 3, 6, 4),
            new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0, 0, 0})),
        float32("AveragePool", "3×3 stride 1", in -> in.g().averagePool(in.normal("x", 1, 2, 5, 5),
            new long[] {3, 3}, new long[] {1, 1}, new long[] {0, 0, 0, 0})),
        of("MaxPool", "2×2 stride 2", in -> in.g().maxPool(in.normal("x", 2, 3, 6, 4),
            new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0, 0, 0})),
        of("MaxPool", "3×3 stride 1 pad 1, overlapping windows", in -> in.g().maxPool(in.normal("x", 1, 2, 5, 5),
            new long[] {3, 3}, new long[] {1, 1}, new long[] {1, 1, 1, 1})),
        of("MaxPool", "1-D kernel 3 stride 2, pads [1,0]", in -> in.g().maxPool(in.normal("x", 2, 2, 9),
            new long[] {3}, new long[] {2}, new long[] {1, 0})),
        float32("GlobalAveragePool", "[2,3,4,5]", in -> in.g().globalAveragePool(in.normal("x", 2, 3, 4, 5))),
        float32("Resize", "nearest ×2", in -> in.g().resize(in.normal("x", 2, 3, 3, 4), new double[] {1, 1, 2, 2},
            "nearest")),
        float32("GridSample", "bilinear, border padding, points outside the image",
            in -> in.g().gridSample(in.normal("x", 2, 3, 4, 5), in.fixedNormal("grid", 2, 3, 5, 2), "bilinear",
                "border", false)),
        float32("GridSample", "bilinear, zeros padding, align corners",
            in -> in.g().gridSample(in.normal("x", 2, 2, 5, 4), in.fixedNormal("grid", 2, 4, 3, 2), "bilinear",
                "zeros", true)),
        of("Einsum", "attention scores bhqd,bhkd->bhqk", in -> in.g().einsum("bhqd,bhkd->bhqk",
            in.normal("q", 2, 2, 3, 4), in.normal("k", 2, 2, 5, 4))),
        of("Einsum", "contract and sum out ij,jk->i", in -> in.g().einsum("ij,jk->i",
            in.normal("a", 3, 4), in.normal("b", 4, 2))));
  }

  /** An opset-17 reduction that takes its axes as an attribute (the builder has no helper for it). */
  private static Value reduce(CaseInputs in, String op, Value x, boolean keepDims, long... axes) {
    return in.g().apply(op, List.of(x), Graph.attrs("axes", axes, "keepdims", keepDims ? 1L : 0L));
  }
}
