package dev.kiln.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchNormTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));

  /** x = [[1, 10], [2, 20], [3, 60], [6, 30]]: column means 3 and 30, biased variances 3.5 and 350. */
  private static final double[] X = {1, 10, 2, 20, 3, 60, 6, 30};

  private static Map<String, Tensor> run(boolean training, Map<String, double[]> buffers) {
    Graph g = new Graph("bn", DType.DOUBLE);
    Value x = g.input("x", DType.DOUBLE, Shape.of(4, 2));
    g.output("y", BatchNorm.of("bn", 2).apply(g, x, training));
    g.bufferUpdates().forEach((b, next) -> g.output("next:" + b.name(), next));
    Map<String, Tensor> feeds = new HashMap<>(Weights.initialize(g, 0).asMap());
    buffers.forEach((k, v) -> feeds.put(k, Tensor.ofDoubles(v, 2)));
    feeds.put("x", Tensor.ofDoubles(X, 4, 2));
    try (Session s = CPU.load(ModelWriter.of(g).toBytes())) {
      feeds.keySet().retainAll(s.inputNames());
      return s.run(feeds);
    }
  }

  @Test
  void trainingNormalisesWithBatchStatisticsAndMovesTheRunningOnes() {
    Map<String, Tensor> out = run(true, Map.of());
    double[] y = out.get("y").toDoubleArray();
    assertThat(y[0]).isCloseTo((1 - 3) / Math.sqrt(3.5 + 1e-5), within(1e-9));
    assertThat(y[5]).isCloseTo((60 - 30) / Math.sqrt(350 + 1e-5), within(1e-9));
    // Running statistics start at mean 0, variance 1 and move 10 % towards the batch's (variance unbiased).
    assertThat(out.get("next:bn.running_mean").toDoubleArray()).containsExactly(new double[] {0.3, 3.0},
        within(1e-12));
    assertThat(out.get("next:bn.running_var").toDoubleArray()).containsExactly(
        new double[] {0.9 + 0.1 * 3.5 * 4 / 3, 0.9 + 0.1 * 350 * 4 / 3}, within(1e-9));
  }

  @Test
  void evaluationUsesTheRunningStatisticsSoRowsDoNotDependOnTheBatch() {
    Map<String, Tensor> out = run(false, Map.of("bn.running_mean", new double[] {1, 10}, "bn.running_var",
        new double[] {4, 100}));
    double[] y = out.get("y").toDoubleArray();
    assertThat(y[0]).isCloseTo(0, within(1e-12));
    assertThat(y[2]).isCloseTo(1 / Math.sqrt(4 + 1e-5), within(1e-9));
    assertThat(y[5]).isCloseTo(50 / Math.sqrt(100 + 1e-5), within(1e-9));
    assertThat(out.keySet()).noneMatch(k -> k.startsWith("next:"));
  }
}
