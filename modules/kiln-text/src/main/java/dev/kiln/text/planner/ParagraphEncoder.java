package dev.kiln.text.planner;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Embedding;
import dev.kiln.nn.LayerNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.TransformerBlock;
import dev.kiln.nn.TransformerOptions;

/**
 * PLANNER's variational paragraph encoder: a bidirectional pre-LN transformer over k learned query
 * tokens followed by the paragraph's tokens; the first k final states e₁ … e_k give the latent
 * <pre>
 *   μ_j = tanh(W_μ e_j + b_μ),   log σ²_j = W_σ e_j + b_σ,   j = 1..k   (μ bounded to [−1, 1])
 * </pre>
 * The released code takes BERT's first k outputs ([CLS] and the first tokens); with a small
 * encoder trained from scratch, dedicated query tokens keep the latent from depending on how long the
 * paragraph's first words are.
 *
 * @param config sizes (latents, latent_dim, dim, layers, heads, vocab, length)
 * @param activation MLP non-linearity
 */
public record ParagraphEncoder(PlannerConfig config, Activation activation) {

  /** Scope of the encoder's parameters. */
  public static final String SCOPE = "encoder";

  /** The latent's mean and log-variance, each [N, k, h]. */
  public record Latent(Value mean, Value logVariance) {}

  /** tokens [N, L] → the latent. */
  public Latent apply(Graph g, Value tokens) {
    PlannerConfig c = config;
    TransformerOptions options = TransformerOptions.preNorm().withLinearInit(Init.truncatedNormal(0.02));
    try (var s = g.scope(SCOPE)) {
      Value h = new Embedding("tok_emb", c.vocab(), c.dim(), Init.truncatedNormal(0.02)).apply(g, tokens);
      Value queries;
      try (var p = g.scope("latent_queries")) {
        queries = g.parameter("weight", Shape.of(1, c.latents(), c.dim()), Init.truncatedNormal(0.02));
      }
      Value pos;
      try (var p = g.scope("pos_emb")) {
        pos = g.parameter("weight", Shape.of(c.latents() + c.length(), c.dim()), Init.truncatedNormal(0.02));
      }
      // [N, k, d]: the queries repeated over the batch.
      Value batchQueries = g.add(g.mul(g.slice(h, 1, 0, 1), 0.0), queries);
      h = g.add(g.concat(1, batchQueries, h), pos);
      for (int l = 0; l < c.layers(); l++) {
        h = new TransformerBlock("block" + l, c.dim(), c.heads(), 4, true, activation).apply(g, h, options).output();
      }
      Value e = g.slice(LayerNorm.of("ln_f", c.dim()).apply(g, h), 1, 0, c.latents());
      Value mean = g.tanh(Linear.of("mean", c.dim(), c.latentDim()).apply(g, e));
      Value logVar = Linear.of("log_variance", c.dim(), c.latentDim()).withBiasInit(new Init.Constant(-4.0))
          .apply(g, e);
      return new Latent(mean, logVar);
    }
  }
}
