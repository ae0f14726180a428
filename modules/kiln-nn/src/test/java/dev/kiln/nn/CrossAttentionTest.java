package dev.kiln.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Cross-attention between sets of different lengths: against a host computation, and as self-attention when both sets are one. */
class CrossAttentionTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));
  private static final int DIM = 4;
  private static final int HEADS = 2;

  private static Tensor gaussian(long seed, long... shape) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor t = Tensor.zeros(DType.DOUBLE, shape);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, rng.nextGaussian());
    }
    return t;
  }

  private static Map<String, Tensor> run(Graph g, Weights w, Map<String, Tensor> inputs) {
    try (Session s = CPU.load(ModelWriter.of(g).toBytes())) {
      Map<String, Tensor> feeds = new LinkedHashMap<>(w.asMap());
      feeds.putAll(inputs);
      feeds.keySet().retainAll(s.inputNames());
      return s.run(feeds);
    }
  }

  /** x [rows, DIM] · W [DIM, DIM] + b for the projection {@code part}. */
  private static double[][] project(Weights w, String part, double[][] x) {
    Tensor wt = w.get("xattn." + part + ".weight");
    Tensor b = w.get("xattn." + part + ".bias");
    double[][] y = new double[x.length][DIM];
    for (int r = 0; r < x.length; r++) {
      for (int o = 0; o < DIM; o++) {
        double s = b.get(o);
        for (int i = 0; i < DIM; i++) {
          s += x[r][i] * wt.get(i * DIM + o);
        }
        y[r][o] = s;
      }
    }
    return y;
  }

  private static double[][] rows(Tensor t, int batch, int count) {
    double[][] r = new double[count][DIM];
    for (int i = 0; i < count; i++) {
      for (int d = 0; d < DIM; d++) {
        r[i][d] = t.get((batch * count + i) * DIM + d);
      }
    }
    return r;
  }

  @Test
  void threeSharedQueriesAttendToFiveKeysAsTheFormulaSays() {
    Graph g = new Graph("xattn", DType.DOUBLE);
    var attn = new MultiHeadAttention("xattn", DIM, HEADS).declare(g, TransformerOptions.preNorm());
    var r = attn.apply(g, g.input("q", DType.DOUBLE, Shape.of(3, DIM)), g.input("kv", DType.DOUBLE,
        Shape.batched("N", 5, DIM)));
    g.output("y", r.output());
    g.output("p", r.probabilities());
    Weights w = Weights.initialize(g, 5);
    Tensor q = gaussian(1, 3, DIM);
    Tensor kv = gaussian(2, 2, 5, DIM);
    Map<String, Tensor> out = run(g, w, Map.of("q", q, "kv", kv));
    assertThat(out.get("y").shape()).containsExactly(2, 3, DIM);
    assertThat(out.get("p").shape()).containsExactly(2, HEADS, 3, 5);
    int head = DIM / HEADS;
    for (int n = 0; n < 2; n++) {
      double[][] qp = project(w, "q", rows(q, 0, 3));
      double[][] kp = project(w, "k", rows(kv, n, 5));
      double[][] vp = project(w, "v", rows(kv, n, 5));
      double[][] ctx = new double[3][DIM];
      for (int h = 0; h < HEADS; h++) {
        for (int i = 0; i < 3; i++) {
          double[] s = new double[5];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < 5; j++) {
            for (int d = 0; d < head; d++) {
              s[j] += qp[i][h * head + d] * kp[j][h * head + d] / Math.sqrt(head);
            }
            max = Math.max(max, s[j]);
          }
          double z = 0;
          for (int j = 0; j < 5; j++) {
            s[j] = Math.exp(s[j] - max);
            z += s[j];
          }
          for (int j = 0; j < 5; j++) {
            for (int d = 0; d < head; d++) {
              ctx[i][h * head + d] += s[j] / z * vp[j][h * head + d];
            }
          }
        }
      }
      double[][] expected = project(w, "out", ctx);
      for (int i = 0; i < 3; i++) {
        for (int d = 0; d < DIM; d++) {
          assertThat(out.get("y").get((n * 3 + i) * DIM + d)).as("y[%d,%d,%d]", n, i, d)
              .isCloseTo(expected[i][d], Offset.offset(1e-12));
        }
      }
    }
  }

  @Test
  void crossAttentionOfASetToItselfIsSelfAttention() {
    Graph g = new Graph("self", DType.DOUBLE);
    var attn = new MultiHeadAttention("xattn", DIM, HEADS).declare(g, TransformerOptions.preNorm());
    var x = g.input("x", DType.DOUBLE, Shape.batched("N", 6, DIM));
    g.output("self", attn.apply(g, x).output());
    g.output("cross", attn.apply(g, x, x).output());
    Map<String, Tensor> out = run(g, Weights.initialize(g, 9), Map.of("x", gaussian(3, 2, 6, DIM)));
    assertThat(out.get("cross").toDoubleArray()).containsExactly(out.get("self").toDoubleArray());
  }
}
