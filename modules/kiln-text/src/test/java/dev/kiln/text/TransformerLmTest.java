package dev.kiln.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Objective;
import dev.kiln.text.lm.TransformerLm;
import dev.kiln.text.lm.TransformerLmProvider;
import dev.kiln.inference.ForwardSession;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The causal transformer LM on the char-lm task: masking, logged entropy, training and export with σReparam. */
class TransformerLmTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(2));
  private static final int T = 12;

  private static TransformerLm.Config small(String norm, String sigmaReparam) {
    return new TransformerLm.Config(null, T, 2, 16, 2, 2, norm, sigmaReparam, "gelu", false, null);
  }

  private static long[] randomTokens(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[] ids = new long[T];
    for (int i = 0; i < T; i++) {
      ids[i] = rng.nextInt(CharVocabulary.SIZE);
    }
    return ids;
  }

  @Test
  void logitsAtPositionTDoNotDependOnLaterTokens() {
    for (String[] sw : new String[][] {{"pre", "none"}, {"post", "none"}, {"none", "vision"}}) {
      Graph g = new Graph("lm");
      TransformerLm lm = new TransformerLm(small(sw[0], sw[1]));
      lm.build(g, lm.declareInputs(g)).forEach(g::output);
      Weights w = Weights.initialize(g, 4);
      long[] a = randomTokens(1);
      long[] b = a.clone();
      int cut = 7;
      for (int i = cut; i < T; i++) {
        b[i] = (b[i] + 13) % CharVocabulary.SIZE;
      }
      try (ForwardSession s = ForwardSession.compile(g, CPU, w, "logits")) {
        float[] la = s.run(Map.of("tokens", Tensor.ofLongs(a, 1, T))).get("logits").toFloatArray();
        float[] lb = s.run(Map.of("tokens", Tensor.ofLongs(b, 1, T))).get("logits").toFloatArray();
        int v = CharVocabulary.SIZE;
        for (int i = 0; i < cut * v; i++) {
          assertThat(lb[i]).as("%s/%s logits[t=%d]", sw[0], sw[1], i / v).isEqualTo(la[i]);
        }
        boolean laterChanged = false;
        for (int i = cut * v; i < T * v; i++) {
          laterChanged |= Math.abs(lb[i] - la[i]) > 1e-6;
        }
        assertThat(laterChanged).as("%s/%s: logits from the changed position on differ", sw[0], sw[1]).isTrue();
      }
    }
  }

  @Test
  void objectiveLogsEntropyPerLayerAndHead() {
    Graph g = new Graph("lm");
    Objective o = new CharLmTask(new CharLmTaskConfig(null, 2, T, null))
        .objective(g, new TransformerLm(small("pre", "none")));
    assertThat(o.metrics().keySet()).containsExactlyInAnyOrder(
        "attn_entropy/layer0/head0", "attn_entropy/layer0/head1", "attn_entropy/layer1/head0",
        "attn_entropy/layer1/head1", "attn_entropy_norm/layer0", "attn_entropy_norm/layer1");
    assertThat(o.loss().rank()).isZero();
  }

  @Test
  void batchesDependOnlyOnSeedAndStepAndTargetsAreTheNextCharacters() {
    CharLmTask task = new CharLmTask(new CharLmTaskConfig(null, 3, T, null));
    Map<String, Tensor> a = Map.of("tokens", Tensor.ofLongs(new long[3 * T], 3, T), "targets",
        Tensor.ofLongs(new long[3 * T], 3, T));
    Map<String, Tensor> b = Map.of("tokens", Tensor.ofLongs(new long[3 * T], 3, T), "targets",
        Tensor.ofLongs(new long[3 * T], 3, T));
    task.fill(5, 2, a);
    task.fill(5, 2, b);
    assertThat(a.get("tokens").contentEquals(b.get("tokens"))).isTrue();
    for (int n = 0; n < 3; n++) {
      for (int i = 0; i + 1 < T; i++) {
        assertThat(a.get("targets").getLong(n * T + i)).isEqualTo(a.get("tokens").getLong(n * T + i + 1));
      }
    }
    task.fill(5, 3, b);
    assertThat(a.get("tokens").contentEquals(b.get("tokens"))).isFalse();
  }

  @Test
  void exportedSigmaReparamModelMatchesTheTrainingGraphAndHasNoPowerIteration(@TempDir Path dir) throws Exception {
    Recipe recipe = Recipe.parse("""
        {"name": "tiny-sigma-lm", "seed": 3,
         "task": {"type": "char-lm", "batch_size": 4, "context_length": 12, "eval_windows": 8},
         "architecture": {"type": "transformer-lm", "context_length": 12, "layers": 2, "dim": 16, "heads": 2,
                          "mlp_ratio": 2, "norm": "none", "sigma_reparam": "vision"},
         "optimizer": {"type": "adam", "lr": 0.01},
         "trainer": {"steps": 6, "log_every": 3}}""", "test");
    TrainingRun run = new TrainingRun(CPU, Map.of("char-lm", new CharLmTaskProvider()),
        Map.of("transformer-lm", new TransformerLmProvider()));
    Trainer.Result result = run.train(recipe, dir, null);
    assertThat(result.diverged()).isFalse();
    assertThat(result.lastEval()).containsKey("heldout_bpc");
    Weights trained = result.weights();
    Path onnx = run.export(dir, dir.resolve("model.onnx"), false);

    ModelProto model = ModelProto.parseFrom(Files.readAllBytes(onnx));
    assertThat(model.getGraph().getInitializerList()).extracting(TensorProto::getName)
        .isNotEmpty().noneMatch(n -> n.contains("gamma") || n.contains("sigma_u"));
    assertThat(model.getGraph().getNodeList()).extracting(NodeProto::getOpType).doesNotContain("Sqrt");
    assertThat(model.getGraph().getInputList()).extracting(v -> v.getName()).containsExactly("tokens");

    Graph g = run.build(recipe).graph();
    Tensor tokens = Tensor.ofLongs(concat(randomTokens(8), randomTokens(9)), 2, T);
    try (ForwardSession training = ForwardSession.compile(g, CPU, trained, "logits"); Session served = CPU.load(onnx)) {
      float[] a = training.run(Map.of("tokens", tokens)).get("logits").toFloatArray();
      float[] b = served.run(Map.of("tokens", tokens)).get("logits").toFloatArray();
      assertThat(b).hasSameSizeAs(a);
      for (int i = 0; i < a.length; i++) {
        assertThat((double) b[i]).as("logits[%d]", i).isCloseTo(a[i], Offset.offset(1e-5));
      }
    }
  }

  private static long[] concat(long[] a, long[] b) {
    long[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void valueNamesOfTheTiedHeadAreTheTokenEmbedding() {
    Graph g = new Graph("tied");
    TransformerLm lm = new TransformerLm(new TransformerLm.Config(null, T, 1, 16, 2, 2, "pre", "none", "gelu", true,
        null));
    lm.build(g, lm.declareInputs(g));
    assertThat(g.parameters()).extracting(Value::name).contains("tok_emb.weight").noneMatch(n -> n.startsWith("head"));
  }
}
