package dev.kiln.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
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

/** Layers declared once and applied many times: shared parameters, names, and the float64 LayerNorm. */
class DeclaredLayersTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final int T = 5;
  private static final int DIM = 8;

  private static double[] gaussian(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = rng.nextGaussian();
    }
    return d;
  }

  /** Runs {@code g} with {@code weights} (those it reads) and {@code inputs}. */
  private static Map<String, Tensor> run(Graph g, Weights weights, Map<String, Tensor> inputs) {
    try (Session s = CPU.load(ModelWriter.of(g).toBytes())) {
      Map<String, Tensor> feeds = new LinkedHashMap<>(weights.asMap());
      feeds.putAll(inputs);
      feeds.keySet().retainAll(s.inputNames());
      return s.run(feeds);
    }
  }

  private static void assertClose(Tensor actual, Tensor expected, double tolerance, String what) {
    assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("%s[%d]", what, i).isCloseTo(expected.get(i), Offset.offset(tolerance));
    }
  }

  @Test
  void aLinearAppliedTwiceReadsOneWeightAndUpdatesItsSigmaReparamBufferOnce() {
    Graph shared = new Graph("shared");
    Linear.Declared lin = Linear.of("lin", 4, 3).withSigmaReparam(SigmaReparam.Variant.VISION).declare(shared);
    shared.output("y1", lin.apply(shared, shared.input("x1", Shape.of(2, 4))));
    shared.output("y2", lin.apply(shared, shared.input("x2", Shape.of(2, 4))));
    assertThat(shared.parameters()).extracting(Value::name)
        .containsExactly("lin.weight", "lin.sigma_u", "lin.gamma", "lin.bias");
    assertThat(shared.bufferUpdates()).hasSize(1);

    Graph once = new Graph("once");
    once.output("y", Linear.of("lin", 4, 3).withSigmaReparam(SigmaReparam.Variant.VISION)
        .apply(once, once.input("x", Shape.of(2, 4))));
    Weights w = Weights.initialize(shared, 3);
    Tensor x1 = Tensor.of(DType.FLOAT, gaussian(8, 1), 2, 4);
    Tensor x2 = Tensor.of(DType.FLOAT, gaussian(8, 2), 2, 4);
    Map<String, Tensor> out = run(shared, w, Map.of("x1", x1, "x2", x2));
    assertClose(out.get("y1"), run(once, w, Map.of("x", x1)).get("y"), 0, "y1");
    assertClose(out.get("y2"), run(once, w, Map.of("x", x2)).get("y"), 0, "y2");
  }

  @Test
  void aSharedBlockAppliedTwiceIsTheBlockComposedWithItself() {
    TransformerBlock spec = new TransformerBlock("blk", DIM, 2, 2, true, Activation.GELU);
    Graph shared = new Graph("shared");
    TransformerBlock.Declared block = spec.declare(shared, TransformerOptions.preNorm());
    Value x = shared.input("x", Shape.of(1, T, DIM));
    shared.output("y", block.apply(shared, block.apply(shared, x).output()).output());

    Graph once = new Graph("once");
    once.output("y", spec.apply(once, once.input("x", Shape.of(1, T, DIM)), TransformerOptions.preNorm()).output());
    assertThat(shared.parameters()).extracting(Value::name)
        .containsExactlyElementsOf(once.parameters().stream().map(Value::name).toList());

    Weights w = Weights.initialize(shared, 4);
    Tensor in = Tensor.of(DType.FLOAT, gaussian(T * DIM, 5), 1, T, DIM);
    Tensor first = run(once, w, Map.of("x", in)).get("y");
    Tensor second = run(once, w, Map.of("x", first)).get("y");
    assertClose(run(shared, w, Map.of("x", in)).get("y"), second, 1e-6, "B(B(x))");
  }

  @Test
  void layerNormInFloat64SpellsOutWhatTheFusedFloat32KernelComputes() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (DType type : new DType[] {DType.FLOAT, DType.DOUBLE}) {
      Graph g = new Graph("ln", type);
      g.output("y", LayerNorm.of("ln", DIM).apply(g, g.input("x", Shape.of(3, DIM))));
      long fused = g.nodes().stream().map(Node::opType).filter("LayerNormalization"::equals).count();
      assertThat(fused).as("%s LayerNormalization nodes", type).isEqualTo(type == DType.FLOAT ? 1 : 0);
      Weights w = Weights.of(Map.of("ln.scale", Tensor.of(type, gaussian(DIM, 6), DIM),
          "ln.bias", Tensor.of(type, gaussian(DIM, 7), DIM)));
      out.put(type.name(), run(g, w, Map.of("x", Tensor.of(type, gaussian(3 * DIM, 8), 3, DIM))).get("y"));
    }
    assertClose(out.get("DOUBLE"), out.get("FLOAT"), 1e-5, "float64 LayerNorm");
  }

  @Test
  void encoderNamesGiveEachPartTheEncodersParameterName() {
    Graph g = new Graph("names");
    new TransformerBlock("block", DIM, 2, 16, true, Activation.GELU, TransformerBlock.Names.ENCODER)
        .declare(g, TransformerOptions.preNorm());
    assertThat(g.parameters()).extracting(Value::name).containsExactly(
        "block.norm1.scale", "block.norm1.bias",
        "block.attn.q.weight", "block.attn.q.bias", "block.attn.k.weight", "block.attn.k.bias",
        "block.attn.v.weight", "block.attn.v.bias", "block.attn.out.weight", "block.attn.out.bias",
        "block.norm2.scale", "block.norm2.bias",
        "block.ffn.w1.weight", "block.ffn.w1.bias", "block.ffn.w2.weight", "block.ffn.w2.bias");
    assertThat(g.value("block.ffn.w1.weight").shape()).isEqualTo(Shape.of(DIM, 16));
  }

  @Test
  void aDeclaredFeedForwardLivesInTheBlockScopeAndSeesTheBlockInput() {
    Graph g = new Graph("custom");
    Value x = g.input("x", Shape.of(1, T, DIM));
    Value[] seen = new Value[1];
    TransformerBlock.Declared block = new TransformerBlock("blk", DIM, 2, 2, true, Activation.GELU)
        .declare(g, TransformerOptions.parse("none", "none"), (graph, spec, options) -> {
          Value scale = graph.parameter("gate", Shape.of(spec.dim()), Init.ones());
          return (gr, in, blockInput) -> {
            seen[0] = blockInput;
            return gr.mul(in, scale);
          };
        });
    block.apply(g, x);
    assertThat(seen[0]).isSameAs(x);
    assertThat(g.parameters()).extracting(Value::name).contains("blk.gate").noneMatch(n -> n.contains("mlp"));
  }

  @Test
  void aBiasInitialiserReplacesTheUniformBiasAndLeavesTheWeight() {
    Graph plain = new Graph("plain");
    Linear.of("halt", 4, 1).declare(plain);
    Graph constant = new Graph("constant");
    Linear.of("halt", 4, 1).withBiasInit(new Init.Constant(-1)).declare(constant);
    Weights a = Weights.initialize(plain, 2);
    Weights b = Weights.initialize(constant, 2);
    assertThat(b.get("halt.bias").get(0)).isEqualTo(-1.0);
    assertThat(b.get("halt.weight").contentEquals(a.get("halt.weight"))).isTrue();
  }

  @Test
  void mlpLayerNamesMustNameEveryLayer() {
    assertThatThrownBy(() -> new Mlp("ffn", new long[] {4, 8, 4}, Activation.RELU, false).withLayerNames("w1"))
        .hasMessageContaining("1 layer names for 2 layers");
  }
}
