package dev.kiln.text.lm;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.AttentionEntropy;
import dev.kiln.nn.Embedding;
import dev.kiln.nn.GraphMetrics;
import dev.kiln.nn.LayerNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.MultiHeadAttention;
import dev.kiln.nn.TransformerBlock;
import dev.kiln.nn.TransformerOptions;
import dev.kiln.spi.ModelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A causal decoder-only transformer language model: {@code tokens [N, T] → logits [N, T, vocab]},
 * where position t's logits predict token t + 1 from tokens ≤ t.
 * <pre>
 *   h⁰ = E[tokens] + P                      (token and learned position embeddings)
 *   hˡ = Blockˡ(hˡ⁻¹), l = 1..L             (causal attention; LayerNorm pre, post or none)
 *   logits = head(LN_f(hᴸ))                 (LN_f only for pre-LN; head untied, or Eᵀ when tied)
 * </pre>
 * With {@code sigma_reparam} every linear layer (q, k, v, attention output, both MLP layers and the
 * head) is used as {@code Ŵ = γ/σ(W)·W} (σReparam, arXiv 2303.06296, eq. 2; {@link dev.kiln.nn.SigmaReparam});
 * {@code norm: "none"} removes every LayerNorm, the paper's ViT recipe. Each layer's attention
 * entropy per head is marked for logging ({@link AttentionEntropy}, {@link GraphMetrics}). Report:
 * {@code docs/reproductions/sigma-reparam.md}.
 *
 * @param config sizes and switches
 */
public record TransformerLm(Config config) implements dev.kiln.spi.Architecture {

  /**
   * The {@code "transformer-lm"} architecture section of a recipe.
   *
   * @param vocab token ids [0, vocab)
   * @param contextLength T, the sequence length the model reads
   * @param layers number of blocks
   * @param dim model width
   * @param heads attention heads
   * @param mlpRatio MLP hidden width as a multiple of {@code dim}
   * @param norm LayerNorm placement: pre, post or none
   * @param sigmaReparam σReparam on every linear layer: none, vision (γ₀ = σ(W₀)) or speech (γ₀ = 1)
   * @param activation MLP non-linearity (gelu, relu, tanh, …)
   * @param tieEmbeddings whether the head is the transposed token embedding (then it has no σReparam)
   * @param initStd standard deviation of the embeddings and of plain linear weights (PyTorch's
   *     {@code trunc_normal_}, bounds ±2 absolute)
   */
  public record Config(Integer vocab, Integer contextLength, Integer layers, Integer dim, Integer heads,
      Integer mlpRatio, String norm, String sigmaReparam, String activation, Boolean tieEmbeddings, Double initStd) {

    public Config {
      vocab = vocab == null ? dev.kiln.text.CharVocabulary.SIZE : vocab;
      contextLength = contextLength == null ? 64 : contextLength;
      layers = layers == null ? 4 : layers;
      dim = dim == null ? 64 : dim;
      heads = heads == null ? 4 : heads;
      mlpRatio = mlpRatio == null ? 4 : mlpRatio;
      norm = norm == null ? "pre" : norm;
      sigmaReparam = sigmaReparam == null ? "none" : sigmaReparam;
      activation = activation == null ? "gelu" : activation;
      tieEmbeddings = tieEmbeddings != null && tieEmbeddings;
      initStd = initStd == null ? 0.02 : initStd;
      positive("vocab", vocab);
      positive("context_length", contextLength);
      positive("layers", layers);
      positive("dim", dim);
      positive("heads", heads);
      positive("mlp_ratio", mlpRatio);
      if (dim % heads != 0) {
        throw new IllegalArgumentException("transformer-lm field `dim` (" + dim + ") must be divisible by `heads` ("
            + heads + ")");
      }
      if (!(initStd > 0)) {
        throw new IllegalArgumentException("transformer-lm field `init_std` must be > 0, got " + initStd);
      }
      TransformerOptions.parse(norm, sigmaReparam);
      Activation.parse(activation);
    }

    private static void positive(String field, int v) {
      if (v < 1) {
        throw new IllegalArgumentException("transformer-lm field `" + field + "` must be >= 1, got " + v);
      }
    }

    /** The model-wide switches these fields describe (causal attention always). */
    public TransformerOptions options() {
      return TransformerOptions.parse(norm, sigmaReparam).withCausal(true)
          .withLinearInit(Init.torchTruncatedNormal(initStd));
    }

    public Config with(String normPlacement, String variant) {
      return new Config(vocab, contextLength, layers, dim, heads, mlpRatio, normPlacement, variant, activation,
          tieEmbeddings, initStd);
    }
  }

  @Override
  public List<ModelInput> inputs() {
    return List.of(new ModelInput("tokens", DType.INT64, Shape.batched("N", config.contextLength()), 0,
        config.vocab()));
  }

  @Override
  public List<String> outputs() {
    return List.of("logits");
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> inputs) {
    TransformerOptions options = config.options();
    long d = config.dim();
    Init embInit = Init.torchTruncatedNormal(config.initStd());
    Embedding.Declared tok = new Embedding("tok_emb", config.vocab(), d, embInit).declare(g);
    Value h = tok.apply(g, inputs.get("tokens"));
    try (var s = g.scope("pos_emb")) {
      h = g.add(h, g.parameter("weight", Shape.of(config.contextLength(), d), embInit));
    }
    List<Value> probs = new ArrayList<>();
    Activation act = Activation.parse(config.activation());
    for (int l = 0; l < config.layers(); l++) {
      TransformerBlock block = new TransformerBlock("block" + l, d, config.heads(), config.mlpRatio(),
          options.norm() == TransformerOptions.Norm.PRE, act);
      MultiHeadAttention.Result r = block.apply(g, h, options);
      h = r.output();
      probs.add(r.probabilities());
    }
    if (options.finalNorm()) {
      h = LayerNorm.of("ln_f", d).apply(g, h);
    }
    Value logits;
    if (config.tieEmbeddings()) {
      logits = g.matMul(h, g.transpose(tok.weight(), 1, 0));
    } else {
      logits = options.configure(Linear.of("head", d, config.vocab())).apply(g, h);
    }
    GraphMetrics.markAll(g, AttentionEntropy.metrics(g, probs));
    return Map.of("logits", logits);
  }
}
