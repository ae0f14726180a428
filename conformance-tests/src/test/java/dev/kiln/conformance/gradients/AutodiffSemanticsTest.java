package dev.kiln.conformance.gradients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.autodiff.Autodiff;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How differentiation treats stop-gradient, sharing, integers and unused values. */
class AutodiffSemanticsTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));

  private static Map<String, Tensor> run(Graph g, Map<String, Tensor> feeds) {
    try (Session s = CPU.load(ModelWriter.of(g).toBytes())) {
      Map<String, Tensor> needed = new java.util.HashMap<>(feeds);
      needed.keySet().retainAll(s.inputNames());
      return s.run(needed);
    }
  }

  @Test
  void stopGradientTreatsTheValueAsAConstant() {
    Graph g = new Graph("sg", DType.DOUBLE);
    Value x = g.input("x", Shape.of(3));
    Value loss = g.sumAll(g.mul(x, g.stopGradient(g.exp(x))));
    g.output("dx", Autodiff.gradients(loss, List.of(x)).get(x));
    double[] xs = {-0.5, 0.3, 1.2};
    double[] dx = run(g, Map.of("x", Tensor.ofDoubles(xs, 3))).get("dx").toDoubleArray();
    for (int i = 0; i < 3; i++) {
      assertThat(dx[i]).isCloseTo(Math.exp(xs[i]), org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void sharedParameterGradientsAreSummed() {
    Graph g = new Graph("shared", DType.DOUBLE);
    Value w = g.parameter("w", Shape.of(2), Init.ones());
    Value x = g.input("x", Shape.of(2));
    // loss = Σ (w·x) + Σ (w·w): dw = x + 2w
    Value loss = g.add(g.sumAll(g.mul(w, x)), g.sumAll(g.mul(w, w)));
    g.output("dw", Autodiff.gradients(loss, List.of(w)).get(w));
    double[] dw = run(g, Map.of("w", Tensor.ofDoubles(new double[] {1, 2}, 2), "x",
        Tensor.ofDoubles(new double[] {3, 5}, 2))).get("dw").toDoubleArray();
    assertThat(dw).containsExactly(3 + 2, 5 + 4);
  }

  @Test
  void unusedParametersGetZerosAndIntegersGetNothing() {
    Graph g = new Graph("unused", DType.DOUBLE);
    Value table = g.parameter("table", Shape.of(4, 2), Init.ones());
    Value unused = g.parameter("unused", Shape.of(3), Init.ones());
    Value ids = g.input("ids", DType.INT64, Shape.of(2));
    Value loss = g.sumAll(g.gather(table, ids, 0));
    Map<Value, Value> grads = Autodiff.gradients(loss, List.of(table, unused));
    g.output("dtable", grads.get(table));
    g.output("dunused", grads.get(unused));
    Map<String, Tensor> out = run(g, Map.of("table", Tensor.ofDoubles(new double[8], 4, 2), "unused",
        Tensor.ofDoubles(new double[3], 3), "ids", Tensor.ofLongs(new long[] {1, 1}, 2)));
    assertThat(out.get("dtable").toDoubleArray()).containsExactly(0, 0, 2, 2, 0, 0, 0, 0);
    assertThat(out.get("dunused").toDoubleArray()).containsExactly(0, 0, 0);
    assertThatThrownBy(() -> Autodiff.gradients(loss, List.of(ids))).hasMessageContaining("int64");
  }

  @Test
  void nonScalarLossIsReported() {
    Graph g = new Graph("bad");
    Value x = g.input("x", Shape.of(3));
    assertThatThrownBy(() -> Autodiff.gradients(g.exp(x), List.of(x))).hasMessageContaining("must be a scalar");
  }

  @Test
  void stepFunctionsPassNoGradient() {
    Graph g = new Graph("round", DType.DOUBLE);
    Value x = g.input("x", Shape.of(3));
    // loss = Σ round(x)·x: dx = round(x), with nothing through round itself
    Value loss = g.sumAll(g.mul(g.apply("Round", List.of(x), Map.of()), x));
    g.output("dx", Autodiff.gradients(loss, List.of(x)).get(x));
    double[] dx = run(g, Map.of("x", Tensor.ofDoubles(new double[] {-1.7, 0.2, 2.6}, 3))).get("dx").toDoubleArray();
    assertThat(dx).containsExactly(-2, 0, 3);
  }

  @Test
  void maxPoolRoutesEachWindowsGradientToItsMaximum() {
    Graph g = new Graph("maxpool", DType.DOUBLE);
    Value x = g.input("x", Shape.of(1, 1, 2, 4));
    Value pooled = g.maxPool(x, new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0, 0, 0});
    g.output("dx", Autodiff.gradients(g.sumAll(g.mul(pooled, g.constant(DType.DOUBLE, Shape.of(1, 1, 1, 2), 10, 20))),
        List.of(x)).get(x));
    double[] xs = {1, 5, 2, 0, 3, 4, 9, 8};
    double[] dx = run(g, Map.of("x", Tensor.ofDoubles(xs, 1, 1, 2, 4))).get("dx").toDoubleArray();
    assertThat(dx).containsExactly(0, 10, 0, 0, 0, 0, 20, 0);
  }
}
