package dev.kiln.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeInferenceTest {

  @Test
  void matMulInnerDimensionMismatchNamesNodeAndShapes() {
    Graph g = new Graph("t");
    Value x = g.input("x", Shape.of(32, 64));
    Value w = g.input("w", Shape.of(128, 64));
    try (var s = g.scope("enc.0.attn.q")) {
      assertThatThrownBy(() -> g.matMul(x, w))
          .isInstanceOf(GraphException.class)
          .hasMessage("MatMul `enc.0.attn.q`: [32,64] × [128,64], inner dims 64 ≠ 128");
    }
  }

  @Test
  void broadcastingFollowsNumpyAndKeepsSymbolicBatch() {
    Graph g = new Graph("t");
    Value a = g.input("a", Shape.batched("N", 1, 5));
    Value b = g.input("b", Shape.of(4, 1));
    assertThat(g.add(a, b).shape()).hasToString("[N,4,5]");
    Value c = g.input("c", Shape.of(3, 5));
    assertThatThrownBy(() -> g.mul(b, c)).hasMessageContaining("[4,1] and [3,5] do not broadcast");
  }

  @Test
  void reshapeFlattensAndRestoresSymbolicBatch() {
    Graph g = new Graph("t");
    Value x = g.input("x", Shape.batched("N", 64, 128));
    Value flat = g.reshape(x, -1, 128);
    assertThat(flat.shape()).hasToString("[64*N,128]");
    Value back = g.reshape(flat, -1, 64, 128);
    assertThat(back.shape()).hasToString("[N,64,128]");
    assertThat(g.reshape(x, 0, -1).shape()).hasToString("[N,8192]");
    assertThatThrownBy(() -> g.reshape(g.input("y", Shape.of(6, 4)), 5, -1))
        .hasMessageContaining("24 elements are not a multiple of 5");
  }

  @Test
  void convolutionAndTransposedConvolutionSizes() {
    Graph g = new Graph("t");
    Value x = g.input("x", Shape.batched("N", 3, 28, 28));
    Value w = g.input("w", Shape.of(16, 3, 3, 3));
    Value y = g.conv(x, w, null, NnOps.ConvOptions.of(2, 2, 1));
    assertThat(y.shape()).hasToString("[N,16,14,14]");
    Value wt = g.input("wt", Shape.of(16, 8, 4, 4));
    Value up = g.convTranspose(y, wt, null, NnOps.ConvOptions.of(2, 2, 1));
    assertThat(up.shape()).hasToString("[N,8,28,28]");
    Value bad = g.input("bad", Shape.of(16, 4, 3, 3));
    assertThatThrownBy(() -> g.conv(x, bad, null, NnOps.ConvOptions.defaults(2)))
        .hasMessageContaining("has 3 channels but W [16,4,3,3] with group 1 expects 4");
  }

  @Test
  void einsumInfersOutputAndRejectsMismatchedLabels() {
    Graph g = new Graph("t");
    Value q = g.input("q", Shape.batched("B", 4, 10, 8));
    Value k = g.input("k", Shape.batched("B", 4, 12, 8));
    assertThat(g.einsum("bhqd,bhkd->bhqk", q, k).shape()).hasToString("[B,4,10,12]");
    Value k2 = g.input("k2", Shape.batched("B", 4, 12, 9));
    assertThatThrownBy(() -> g.einsum("bhqd,bhkd->bhqk", q, k2)).hasMessageContaining("label `d` is 8");
  }

  @Test
  void gatherSliceConcatSplitAndReductions() {
    Graph g = new Graph("t");
    Value table = g.parameter("emb", Shape.of(100, 16), Init.normal(0.02));
    Value ids = g.input("ids", DType.INT64, Shape.batched("N", 7));
    Value e = g.gather(table, ids, 0);
    assertThat(e.shape()).hasToString("[N,7,16]");
    assertThat(g.slice(e, 2, 1, 5).shape()).hasToString("[N,7,4]");
    assertThat(g.slice(e, 2, -3, Long.MAX_VALUE).shape()).hasToString("[N,7,3]");
    assertThat(g.concat(1, e, e).shape()).hasToString("[N,14,16]");
    List<Value> parts = g.split(e, 2, 10, 6);
    assertThat(parts).extracting(v -> v.shape().toString()).containsExactly("[N,7,10]", "[N,7,6]");
    assertThat(g.reduceSum(e, false, 1).shape()).hasToString("[N,16]");
    assertThat(g.reduceMean(e, true, -1).shape()).hasToString("[N,7,1]");
    assertThat(g.sumAll(e).shape().rank()).isZero();
    assertThat(g.transpose(e, 0, 2, 1).shape()).hasToString("[N,16,7]");
    assertThat(g.unsqueeze(e, 1).shape()).hasToString("[N,1,7,16]");
    assertThat(g.expandLike(g.scalar(1), e).shape()).hasToString("[N,7,16]");
  }

  @Test
  void typeMismatchesAndMissingRulesAreReported() {
    Graph g = new Graph("t");
    Value f = g.input("f", Shape.of(3));
    Value i = g.input("i", DType.INT64, Shape.of(3));
    assertThatThrownBy(() -> g.add(f, i)).hasMessageContaining("inputs differ in type: float[3], int64[3]");
    assertThatThrownBy(() -> g.apply("NoSuchOp", List.of(f), java.util.Map.of()))
        .hasMessageContaining("no shape rule for operator NoSuchOp");
    assertThatThrownBy(() -> g.gather(f, f, 0)).hasMessageContaining("indices must be int64 or int32");
  }

  @Test
  void parametersAreScopedAndUnique() {
    Graph g = new Graph("t", DType.DOUBLE);
    try (var s = g.scope("enc")) {
      try (var s2 = g.scope("0")) {
        Value w = g.parameter("weight", Shape.of(2, 3), Init.xavierUniform());
        assertThat(w.name()).isEqualTo("enc.0.weight");
        assertThat(w.dtype()).isEqualTo(DType.DOUBLE);
        assertThatThrownBy(() -> g.parameter("weight", Shape.of(2, 3), Init.zeros()))
            .hasMessageContaining("already has a value named `enc.0.weight`");
      }
    }
    assertThat(g.parameterCount()).isEqualTo(6);
  }

  @Test
  void operatorTypesNameOnnxOperatorsBareAndOthersByDomain() {
    Graph g = new Graph("t");
    Value x = g.input("x", Shape.of(2, 3));
    Value fused = g.apply("com.microsoft", "FusedMatMul", List.of(x, x), Graph.attrs("transB", 1L), 1).get(0);
    assertThat(Graph.operatorTypes()).contains("MatMul", "MaxPool", "ReduceProd", "com.microsoft.FusedMatMul")
        .doesNotContain("FusedMatMul")
        .contains(fused.producer().qualifiedOpType(), g.exp(x).producer().qualifiedOpType());
  }

  @Test
  void maxPoolOffersItsIndicesAsAnInt64SecondOutput() {
    Graph g = new Graph("t");
    Value x = g.input("x", Shape.batched("N", 3, 7, 6));
    List<Value> out = g.apply("", "MaxPool", List.of(x), Graph.attrs("kernel_shape", new long[] {3, 3},
        "strides", new long[] {2, 2}, "pads", new long[] {1, 1, 1, 1}), 2);
    assertThat(out.get(0).shape()).hasToString("[N,3,4,3]");
    assertThat(out.get(1).type()).isEqualTo(new TensorType(DType.INT64, out.get(0).shape()));
  }
}
