package dev.kiln.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.conformance.architectures.ArchitectureContract;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Node;
import dev.kiln.graph.Value;
import dev.kiln.nn.TransformerOptions;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.inference.ForwardSession;
import dev.kiln.transformers.model.HyperUVitConfig;
import dev.kiln.transformers.model.HyperUVitProvider;
import dev.kiln.transformers.model.HyperUtConfig;
import dev.kiln.transformers.model.HyperUtProvider;
import dev.kiln.transformers.model.TransformerEncoderConfig;
import dev.kiln.transformers.model.TransformerEncoderProvider;
import dev.kiln.transformers.model.UniversalTransformer;
import dev.kiln.transformers.model.UniversalTransformerConfig;
import dev.kiln.transformers.model.UniversalTransformerProvider;
import dev.kiln.transformers.model.VitConfig;
import dev.kiln.transformers.model.VitProvider;
import dev.kiln.transformers.serving.AdaptiveDepthRunner;
import dev.kiln.transformers.serving.ServingExport;
import dev.kiln.transformers.serving.ServingGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-wide switches of kiln-text ({@code norm}: pre, post or none; {@code sigma_reparam}: none,
 * vision or speech) on every architecture of this module: the architecture contract (JSON round trip,
 * gradients against finite differences in float64, export parity to 1e-5) holds with them, σReparam
 * reaches every linear layer, and a shared block reparametrises each weight once however many steps
 * it runs.
 */
class ModelWideSwitchesTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));

  /** The σReparam ViT recipe of arXiv 2303.06296: every linear layer reparametrised, no LayerNorm. */
  private static final VitConfig VIT_SIGMA = new VitConfig(8, 4, 1, 3, 8, 2, 16, 2, "silu", "none", "vision");
  private static final HyperUtConfig HYPER_UT_SIGMA = new HyperUtConfig(5, 5, 5, 8, 2, 16, 3, 0.01, 1.0, 3, 2, 4,
      "silu", "none", "vision", null);

  /** The architecture contract for one provider and config. */
  private abstract static class Contract implements ArchitectureContract {
    private final ArchitectureProvider<?> provider;
    private final Object config;

    Contract(ArchitectureProvider<?> provider, Object config) {
      this.provider = provider;
      this.config = config;
    }

    @Override
    public ArchitectureProvider<?> provider() {
      return provider;
    }

    @Override
    public Object config() {
      return config;
    }
  }

  @Nested
  class VitWithSigmaReparamAndNoLayerNorm extends Contract {
    VitWithSigmaReparamAndNoLayerNorm() {
      super(new VitProvider(), VIT_SIGMA);
    }
  }

  @Nested
  class UniversalTransformerWithSpeechSigmaReparam extends Contract {
    UniversalTransformerWithSpeechSigmaReparam() {
      super(new UniversalTransformerProvider(),
          new UniversalTransformerConfig(5, 5, 5, 8, 2, 16, 3, 0.01, 1.0, "silu", "pre", "speech"));
    }
  }

  @Nested
  class HyperUtWithSigmaReparamAndNoLayerNorm extends Contract {
    HyperUtWithSigmaReparamAndNoLayerNorm() {
      super(new HyperUtProvider(), HYPER_UT_SIGMA);
    }
  }

  @Nested
  class PostNormHyperUVitWithSigmaReparam extends Contract {
    PostNormHyperUVitWithSigmaReparam() {
      super(new HyperUVitProvider(),
          new HyperUVitConfig(8, 4, 1, 3, 8, 2, 16, 3, 0.01, 1.0, 3, 2, 4, "silu", "post", "vision"));
    }
  }

  @Nested
  class PostNormTransformerEncoder extends Contract {
    PostNormTransformerEncoder() {
      super(new TransformerEncoderProvider(), new TransformerEncoderConfig(5, 5, 5, 8, 2, 16, 2, "silu", "post", null));
    }
  }

  private static List<String> reparametrised(Graph g) {
    return g.parameters().stream().map(Value::name).filter(n -> n.endsWith(".gamma"))
        .map(n -> n.substring(0, n.length() - ".gamma".length())).toList();
  }

  private static long count(Graph g, String op) {
    return g.nodes().stream().map(Node::opType).filter(op::equals).count();
  }

  @Test
  void sigmaReparamReachesEveryLinearLayerOfHyperUtAndNoneRemovesEveryLayerNorm() {
    Graph g = ServingGraphs.forward(HYPER_UT_SIGMA.architecture());
    assertThat(reparametrised(g)).containsExactlyInAnyOrder("block.attn.q", "block.attn.k", "block.attn.v",
        "block.attn.out", "block.ffn.base.w1", "block.ffn.base.w2", "halt.proj", "head.proj");
    assertThat(count(g, "LayerNormalization")).isZero();
    assertThat(g.parameters()).extracting(Value::name).noneMatch(n -> n.contains("norm"));
  }

  @Test
  void vitSigmaReparamAlsoCoversThePatchEmbedding() {
    Graph g = ServingGraphs.forward(VIT_SIGMA.architecture());
    assertThat(reparametrised(g)).contains("embed.patch", "block0.attn.q", "block1.ffn.w2", "head.proj")
        .hasSize(1 + 2 * 6 + 1);
  }

  @Test
  void aSharedBlockReparametrisesEachWeightOnceHoweverManyStepsItRuns() {
    UniversalTransformer three = HYPER_UT_SIGMA.architecture();
    Graph g3 = ServingGraphs.forward(three);
    Graph g6 = ServingGraphs.forward(three.withMaxSteps(6));
    assertThat(g6.parameters()).extracting(Value::name)
        .containsExactlyElementsOf(g3.parameters().stream().map(Value::name).toList());
    assertThat(g6.bufferUpdates()).hasSize(8).hasSameSizeAs(g3.bufferUpdates());
  }

  @Test
  void defaultSwitchesArePreNormWithPlainWeights() {
    assertThat(new HyperUtConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null).architecture().options()).isEqualTo(TransformerOptions.preNorm());
    assertThat(new VitConfig(null, null, null, null, null, null, null, null, null, null, null).architecture()
        .options()).isEqualTo(TransformerOptions.preNorm());
  }

  @Test
  void unknownSwitchValuesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> new VitConfig(null, null, null, null, null, null, null, null, null, "middle", null))
        .hasMessageContaining("`norm`");
    assertThatThrownBy(() -> new UniversalTransformerConfig(null, null, null, null, null, null, null, null, null,
        null, null, "audio")).hasMessageContaining("`sigma_reparam`");
  }

  @Test
  void servingFilesOfASigmaReparamHyperUVitHoldNoPowerIterationAndMatchTheTrainingGraph(@TempDir Path dir)
      throws Exception {
    UniversalTransformer arch = new HyperUVitConfig(8, 4, 1, 3, 8, 2, 16, 4, 0.01, 1.0, 3, 1, 4, null, "none",
        "vision").architecture();
    Graph g = ServingGraphs.forward(arch);
    Weights w = Weights.initialize(g, 5);
    SplittableRandom rng = new SplittableRandom(8);
    for (Tensor t : w.asMap().values()) {
      for (int i = 0; i < t.size(); i++) {
        t.set(i, t.get(i) + 0.05 * rng.nextGaussian());
      }
    }
    ServingExport.write(dir, arch, w, CPU, Map.of("recipe", "test"));
    ModelProto step = ModelProto.parseFrom(Files.readAllBytes(dir.resolve(ServingExport.STEP)));
    assertThat(step.getGraph().getInitializerList()).extracting(TensorProto::getName)
        .isNotEmpty().noneMatch(n -> n.contains("gamma") || n.contains("sigma_u"));

    float[] x = new float[5 * 64];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * rng.nextDouble() - 1);
    }
    Map<String, Tensor> in = Map.of("x", Tensor.of(x, 5, 64));
    Tensor expected;
    try (ForwardSession s = ForwardSession.compile(g, CPU, w, "logits")) {
      expected = s.run(in).get("logits");
    }
    try (AdaptiveDepthRunner runner = AdaptiveDepthRunner.load(CPU, dir);
        Session loop = CPU.load(dir.resolve(ServingExport.LOOP))) {
      Tensor stepped = runner.run(in).logits();
      Tensor looped = loop.run(in).get("logits");
      for (int i = 0; i < expected.size(); i++) {
        assertThat(stepped.get(i)).as("runner logits[%d]", i).isCloseTo(expected.get(i), within(1e-5));
        assertThat(looped.get(i)).as("loop.onnx logits[%d]", i).isCloseTo(expected.get(i), within(1e-5));
      }
    }
  }
}
