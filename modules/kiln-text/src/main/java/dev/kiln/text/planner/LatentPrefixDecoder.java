package dev.kiln.text.planner;

import dev.kiln.graph.DType;
import dev.kiln.graph.Dim;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Embedding;
import dev.kiln.nn.LayerNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.MultiHeadAttention;
import dev.kiln.nn.TransformerBlock;
import dev.kiln.nn.TransformerOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PLANNER's autoregressive decoder: a causal pre-LN transformer that reads the k latent vectors of a
 * paragraph as a soft prefix and then the paragraph's tokens,
 * <pre>
 *   h⁰ = [A z₁ … A z_k, E[x₀] … E[x_{L−1}]] + P        (A: Linear(h, d); P: learned positions)
 *   logits_t = E hᴸ_{k+t}ᵀ                              (tied head; position k + t predicts x_{t+1})
 * </pre>
 * so the latent enters exactly as GPT-2's {@code past_key_values} prefix does in the released code.
 * With k = 0 it is a plain language model (the baseline, whose first token is a control token).
 *
 * <p>Three graphs share the parameters: the whole sequence ({@link Declared#logits}, for training),
 * a prefill of latent plus first token that returns the KV cache ({@link Declared#prefill}), and one
 * next-token step that reads and extends the cache ({@link Declared#step}), so decoding costs
 * one position per token instead of the whole sequence.
 *
 * @param config sizes (latents, latent_dim, dim, layers, heads, vocab, length)
 * @param activation MLP non-linearity
 */
public record LatentPrefixDecoder(PlannerConfig config, Activation activation) {

  /** Scope of the decoder's parameters. */
  public static final String SCOPE = "decoder";

  /**
   * The declared decoder.
   *
   * @param tokens token embedding, also the output head
   * @param positions learned positions [k + L, d]
   * @param adapter latent to width d, null when k = 0
   * @param blocks causal blocks
   * @param finalNorm LayerNorm before the head
   * @param config sizes
   */
  public record Declared(Embedding.Declared tokens, Value positions, Linear.Declared adapter,
      List<TransformerBlock.Declared> blocks, LayerNorm.Declared finalNorm, PlannerConfig config) {

    /** latent [N, k, h] (null when k = 0), tokens [N, L] → logits [N, L, vocab]. */
    public Value logits(Graph g, Value latent, Value tokens) {
      return head(g, states(g, latent, tokens));
    }

    /** The final normalised states at the token positions [N, L, d], which the head reads. */
    public Value states(Graph g, Value latent, Value tokens) {
      int k = config.latents();
      long len = tokens.shape().dim(1).size();
      Value h = embed(g, latent, tokens);
      h = g.add(h, g.slice(positions, 0, 0, k + len));
      for (TransformerBlock.Declared b : blocks) {
        h = b.apply(g, h).output();
      }
      return finalNorm.apply(g, k == 0 ? h : g.slice(h, 1, k, k + len));
    }

    /**
     * The KV cache after the latent and the first token: latent [N, k, h] (null when k = 0), first
     * [N, 1] → {@code logits} [N, vocab] for the next token and {@code key<l>}, {@code value<l>}
     * [N, heads, k + 1, d/heads] for each block l.
     */
    public Map<String, Value> prefill(Graph g, Value latent, Value first) {
      Value h = g.add(embed(g, latent, first), g.slice(positions, 0, 0, config.latents() + 1));
      Map<String, Value> out = new LinkedHashMap<>();
      for (int l = 0; l < blocks.size(); l++) {
        MultiHeadAttention.Cached c = blocks.get(l).applyCached(g, h, null);
        h = c.output();
        out.put("key" + l, c.cache().keys());
        out.put("value" + l, c.cache().values());
      }
      Value last = g.slice(h, 1, config.latents(), config.latents() + 1);
      out.put("logits", g.squeeze(head(g, finalNorm.apply(g, last)), 1));
      return out;
    }

    /**
     * One step: token [N, 1] at position P (the cache length), caches {@code past.get(l)} → logits
     * [N, vocab] and the caches extended by this position.
     */
    public Map<String, Value> step(Graph g, Value token, List<MultiHeadAttention.Cache> past) {
      Value p = g.slice(g.shapeOf(past.get(0).keys()), 0, 2, 3);
      Value h = g.add(tokens.apply(g, token), g.gather(positions, p, 0));
      Map<String, Value> out = new LinkedHashMap<>();
      for (int l = 0; l < blocks.size(); l++) {
        MultiHeadAttention.Cached c = blocks.get(l).applyCached(g, h, past.get(l));
        h = c.output();
        out.put("key" + l, c.cache().keys());
        out.put("value" + l, c.cache().values());
      }
      out.put("logits", g.squeeze(head(g, finalNorm.apply(g, h)), 1));
      return out;
    }

    private Value embed(Graph g, Value latent, Value ids) {
      Value e = tokens.apply(g, ids);
      if (config.latents() == 0) {
        return e;
      }
      return g.concat(1, adapter.apply(g, latent), e);
    }

    private Value head(Graph g, Value normalised) {
      return g.matMul(normalised, g.transpose(tokens.weight(), 1, 0));
    }
  }

  /** Declares the decoder's parameters under {@value #SCOPE}. */
  public Declared declare(Graph g) {
    PlannerConfig c = config;
    TransformerOptions options = TransformerOptions.preNorm().withCausal(true)
        .withLinearInit(Init.truncatedNormal(0.02));
    try (var s = g.scope(SCOPE)) {
      Embedding.Declared tok = new Embedding("tok_emb", c.vocab(), c.dim(), Init.truncatedNormal(0.02)).declare(g);
      Value pos;
      try (var p = g.scope("pos_emb")) {
        pos = g.parameter("weight", Shape.of(c.latents() + c.length(), c.dim()), Init.truncatedNormal(0.02));
      }
      Linear.Declared adapter = c.latents() == 0 ? null : Linear.of("adapter", c.latentDim(), c.dim()).declare(g);
      List<TransformerBlock.Declared> blocks = new ArrayList<>();
      for (int l = 0; l < c.layers(); l++) {
        blocks.add(new TransformerBlock("block" + l, c.dim(), c.heads(), 4, true, activation).declare(g, options));
      }
      return new Declared(tok, pos, adapter, blocks, LayerNorm.of("ln_f", c.dim()).declare(g), c);
    }
  }

  /** The whole-sequence graph's inputs: {@code latent} [N, k, h] (when k > 0) and {@code tokens} [N, L]. */
  public Map<String, Value> declareInputs(Graph g) {
    Map<String, Value> in = new LinkedHashMap<>();
    if (config.latents() > 0) {
      in.put("latent", g.input("latent", g.floatType(), Shape.batched("N", config.latents(), config.latentDim())));
    }
    in.put("tokens", g.input("tokens", DType.INT64, Shape.batched("N", config.length())));
    return in;
  }

  /** Builds the prefill graph into {@code g}: inputs {@code latent} (k > 0) and {@code first} [N, 1]. */
  public void buildPrefill(Graph g) {
    Value latent = config.latents() == 0 ? null
        : g.input("latent", g.floatType(), Shape.batched("N", config.latents(), config.latentDim()));
    Value first = g.input("first", DType.INT64, Shape.batched("N", 1));
    declare(g).prefill(g, latent, first).forEach(g::output);
  }

  /**
   * Builds the step graph into {@code g}: inputs {@code token} [N, 1] and {@code past_key<l>},
   * {@code past_value<l>} [N, heads, P, d/heads]; outputs {@code logits}, {@code key<l>}, {@code value<l>}.
   */
  public void buildStep(Graph g) {
    Value token = g.input("token", DType.INT64, Shape.batched("N", 1));
    List<MultiHeadAttention.Cache> past = new ArrayList<>();
    Shape cache = Shape.of(Dim.symbol("N"), Dim.of(config.heads()), Dim.symbol("P"),
        Dim.of(config.dim() / config.heads()));
    for (int l = 0; l < config.layers(); l++) {
      past.add(new MultiHeadAttention.Cache(g.input("past_key" + l, g.floatType(), cache),
          g.input("past_value" + l, g.floatType(), cache)));
    }
    declare(g).step(g, token, past).forEach(g::output);
  }
}
