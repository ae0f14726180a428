package dev.kiln.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Node;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
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

/** The model-wide transformer switches: norm placement, σReparam everywhere, causal attention. */
class TransformerOptionsTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final int T = 6;
  private static final int DIM = 8;

  private static Graph block(TransformerOptions options) {
    Graph g = new Graph("block");
    Value x = g.input("x", Shape.of(1, T, DIM));
    MultiHeadAttention.Result r = new TransformerBlock("b", DIM, 2, 2, true, Activation.GELU).apply(g, x, options);
    g.output("y", r.output());
    g.output("probs", r.probabilities());
    return g;
  }

  private static long count(Graph g, String op) {
    return g.nodes().stream().map(Node::opType).filter(op::equals).count();
  }

  @Test
  void sigmaReparamWithoutNormReparametrisesEverySixLinearsAndHasNoLayerNorm() {
    Graph g = block(TransformerOptions.parse("none", "vision"));
    assertThat(count(g, "LayerNormalization")).isZero();
    assertThat(g.parameters()).extracting(Value::name).filteredOn(n -> n.endsWith("gamma")).containsExactlyInAnyOrder(
        "b.attn.q.gamma", "b.attn.k.gamma", "b.attn.v.gamma", "b.attn.out.gamma", "b.mlp.0.gamma", "b.mlp.1.gamma");
  }

  @Test
  void preAndPostNormEachUseTwoLayerNormsAndNoSigmaReparam() {
    for (String norm : new String[] {"pre", "post"}) {
      Graph g = block(TransformerOptions.parse(norm, "none"));
      assertThat(count(g, "LayerNormalization")).as(norm).isEqualTo(2);
      assertThat(g.parameters()).extracting(Value::name).as(norm).noneMatch(n -> n.contains("gamma"));
    }
  }

  @Test
  void optionsPathWithPreNormBuildsTheSameParametersAsTheLegacyBlock() {
    Graph legacy = new Graph("legacy");
    TransformerBlock.preNorm("b", DIM, 2).apply(legacy, legacy.input("x", Shape.of(1, T, DIM)));
    Graph options = new Graph("options");
    TransformerBlock.preNorm("b", DIM, 2).apply(options, options.input("x", Shape.of(1, T, DIM)),
        TransformerOptions.preNorm());
    assertThat(options.parameters()).extracting(Value::name)
        .containsExactlyElementsOf(legacy.parameters().stream().map(Value::name).toList());
  }

  @Test
  void causalAttentionOutputAtTDoesNotDependOnLaterPositions() {
    Graph g = block(TransformerOptions.parse("pre", "vision").withCausal(true));
    Weights w = Weights.initialize(g, 1);
    float[] x = new float[T * DIM];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] changed = x.clone();
    int cut = 3;
    for (int i = cut * DIM; i < x.length; i++) {
      changed[i] += 5f;
    }
    try (Session s = CPU.load(ModelWriter.of(g).toBytes())) {
      float[] a = run(s, w, x).get("y").toFloatArray();
      Map<String, Tensor> outB = run(s, w, changed);
      float[] b = outB.get("y").toFloatArray();
      for (int i = 0; i < cut * DIM; i++) {
        assertThat(b[i]).as("y[%d] before the change", i).isCloseTo(a[i], Offset.offset(1e-6f));
      }
      assertThat(b[cut * DIM]).as("y at the first changed position").isNotCloseTo(a[cut * DIM], Offset.offset(1e-3f));
      Tensor probs = outB.get("probs");
      for (int h = 0; h < 2; h++) {
        for (int q = 0; q < T; q++) {
          for (int k = q + 1; k < T; k++) {
            assertThat(probs.get((h * T + q) * T + k)).as("A[h%d, q%d, k%d]", h, q, k).isZero();
          }
        }
      }
    }
  }

  private static Map<String, Tensor> run(Session s, Weights w, float[] x) {
    Map<String, Tensor> feeds = new LinkedHashMap<>(w.asMap());
    feeds.put("x", Tensor.of(x, 1, T, DIM));
    feeds.keySet().retainAll(s.inputNames());
    return s.run(feeds);
  }

  @Test
  void unknownSwitchValuesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> TransformerOptions.parse("middle", "none")).hasMessageContaining("`norm`")
        .hasMessageContaining("middle");
    assertThatThrownBy(() -> TransformerOptions.parse("pre", "audio")).hasMessageContaining("`sigma_reparam`");
  }
}
