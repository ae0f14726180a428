package dev.kiln.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Attention entropy: its two extremes, normalisation, and the per-layer-per-head metric names. */
class AttentionEntropyTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final int N = 2;
  private static final int HEADS = 3;
  private static final int T = 5;

  /** Runs the entropy outputs for the given attention probabilities [2, 3, 5, 5]. */
  private static Map<String, Tensor> entropies(float[] probs) {
    Graph g = new Graph("entropy");
    Value a = g.input("a", Shape.of(N, HEADS, T, T));
    g.output("raw", AttentionEntropy.perHead(g, a));
    g.output("norm", AttentionEntropy.normalisedPerHead(g, a));
    AttentionEntropy.metrics(g, java.util.List.of(a)).forEach(g::output);
    try (Session s = CPU.load(ModelWriter.of(g).toBytes())) {
      return s.run(Map.of("a", Tensor.of(probs, N, HEADS, T, T)));
    }
  }

  @Test
  void uniformAttentionHasEntropyLogTAndNormalisedEntropyOne() {
    float[] p = new float[N * HEADS * T * T];
    java.util.Arrays.fill(p, 1f / T);
    Map<String, Tensor> out = entropies(p);
    for (int h = 0; h < HEADS; h++) {
      assertThat(out.get("raw").get(h)).isCloseTo(Math.log(T), Offset.offset(1e-5));
      assertThat(out.get("norm").get(h)).isCloseTo(1.0, Offset.offset(1e-5));
      assertThat(out.get("attn_entropy/layer0/head" + h).get(0)).isCloseTo(Math.log(T), Offset.offset(1e-5));
    }
    assertThat(out.get("attn_entropy_norm/layer0").get(0)).isCloseTo(1.0, Offset.offset(1e-5));
  }

  @Test
  void oneHotAttentionHasEntropyZero() {
    float[] p = new float[N * HEADS * T * T];
    for (int row = 0; row < N * HEADS * T; row++) {
      p[row * T + (row % T)] = 1f;
    }
    Map<String, Tensor> out = entropies(p);
    for (int h = 0; h < HEADS; h++) {
      assertThat(out.get("raw").get(h)).isCloseTo(0.0, Offset.offset(1e-5));
    }
    assertThat(out.get("attn_entropy_norm/layer0").get(0)).isCloseTo(0.0, Offset.offset(1e-5));
  }

  @Test
  void entropyIsAveragedPerHeadOverBatchAndQueries() {
    // Head 1 is uniform in every row, the other heads one-hot: only head 1 has entropy log T.
    float[] p = new float[N * HEADS * T * T];
    for (int n = 0; n < N; n++) {
      for (int h = 0; h < HEADS; h++) {
        for (int q = 0; q < T; q++) {
          int base = ((n * HEADS + h) * T + q) * T;
          for (int k = 0; k < T; k++) {
            p[base + k] = h == 1 ? 1f / T : (k == q ? 1f : 0f);
          }
        }
      }
    }
    Map<String, Tensor> out = entropies(p);
    assertThat(out.get("raw").get(0)).isCloseTo(0.0, Offset.offset(1e-5));
    assertThat(out.get("raw").get(1)).isCloseTo(Math.log(T), Offset.offset(1e-5));
    assertThat(out.get("raw").get(2)).isCloseTo(0.0, Offset.offset(1e-5));
    assertThat(out.get("attn_entropy_norm/layer0").get(0)).isCloseTo(1.0 / HEADS, Offset.offset(1e-5));
  }
}
