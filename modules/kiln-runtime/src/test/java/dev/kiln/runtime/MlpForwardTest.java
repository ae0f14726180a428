package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlpForwardTest {

  static final int IN = 8;
  static final int HIDDEN = 16;
  static final int OUT = 4;

  /** x → relu(x·W1+b1) → tanh(·W2+b2) → ·W3+b3. */
  static Graph mlp() {
    Graph g = new Graph("mlp3");
    Value h = g.input("x", Shape.batched("N", IN));
    int[] widths = {IN, HIDDEN, HIDDEN, OUT};
    for (int layer = 0; layer < 3; layer++) {
      try (var s = g.scope("fc" + layer)) {
        Value w = g.parameter("weight", Shape.of(widths[layer], widths[layer + 1]), Init.kaimingUniform());
        Value b = g.parameter("bias", Shape.of(widths[layer + 1]), Init.normal(0.1));
        h = g.add(g.matMul(h, w), b);
        if (layer == 0) {
          h = g.relu(h);
        } else if (layer == 1) {
          h = g.tanh(h);
        }
      }
    }
    g.output("y", h);
    return g;
  }

  static double[] reference(double[] x, int batch, Weights w) {
    int[] widths = {IN, HIDDEN, HIDDEN, OUT};
    double[] h = x;
    for (int layer = 0; layer < 3; layer++) {
      float[] wt = w.get("fc" + layer + ".weight").toFloatArray();
      float[] b = w.get("fc" + layer + ".bias").toFloatArray();
      int in = widths[layer];
      int out = widths[layer + 1];
      double[] next = new double[batch * out];
      for (int n = 0; n < batch; n++) {
        for (int o = 0; o < out; o++) {
          double acc = b[o];
          for (int i = 0; i < in; i++) {
            acc += h[n * in + i] * wt[i * out + o];
          }
          next[n * out + o] = layer == 0 ? Math.max(0, acc) : layer == 1 ? Math.tanh(acc) : acc;
        }
      }
      h = next;
    }
    return h;
  }

  @Test
  void threeLayerMlpMatchesPlainJavaReference() throws Exception {
    Graph g = mlp();
    Weights w = Weights.initialize(g, 42);
    TestModels.dump("mlp3", ModelWriter.of(g).weights(w.toProtos()).toProto());
    int batch = 37;
    float[] x = new float[batch * IN];
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    try (Session s = new OrtBackend(BackendOptions.cpu(2)).load(ModelWriter.of(g).weights(w.toProtos()).toBytes())) {
      float[] y = s.run(Map.of("x", Tensor.of(x, batch, IN))).get("y").toFloatArray();
      double[] xd = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        xd[i] = x[i];
      }
      double[] ref = reference(xd, batch, w);
      assertThat(y).hasSize(batch * OUT);
      for (int i = 0; i < y.length; i++) {
        assertThat((double) y[i]).as("y[%d]", i).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-5));
      }
    }
  }

  @Test
  void sameSeedSameWeightsDifferentSeedDifferent() {
    Graph g = mlp();
    assertThat(Weights.initialize(g, 5).contentEquals(Weights.initialize(mlp(), 5))).isTrue();
    assertThat(Weights.initialize(g, 5).contentEquals(Weights.initialize(g, 6))).isFalse();
  }

  @Test
  void testsRunOnTheModulePath() {
    assertThat(Session.class.getModule().isNamed()).isTrue();
    assertThat(Session.class.getModule().getName()).isEqualTo("dev.kiln.runtime");
  }
}
