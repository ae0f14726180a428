package dev.kiln.text.planner;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.AdaptiveLayerNorm;
import dev.kiln.nn.Embedding;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Mlp;
import dev.kiln.nn.MultiHeadAttention;
import dev.kiln.nn.SinusoidalEmbedding;
import dev.kiln.nn.TransformerOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PLANNER's planning network: a DiT (arXiv 2212.09748) over the k latent vectors that predicts the
 * clean latent x̂₀ from x_t. The conditioning vector c = MLP(sinusoid(t)) + E_label[label] drives
 * adaLN-Zero in every block ({@link AdaptiveLayerNorm}, six modulations); the prefix's tokens, when the
 * model has a prefix input, are embedded and placed in front of the latent tokens inside every block's
 * attention and dropped after it (in-context conditioning, as the released code's
 * {@code use_cross_attention}):
 * <pre>
 *   s = [P, x];  x ← x + g₁ ⊙ Attn(adaLN(s; β₁, γ₁))[P:];   x ← x + g₂ ⊙ MLP(adaLN(x; β₂, γ₂))
 *   x̂₀ = Linear(adaLN(x; β_f, γ_f))                        (modulations and the output layer start at 0)
 * </pre>
 * Inputs: {@code x} [N, k, h], {@code t} [N] (training timesteps of the discrete schedule,
 * {@link CosineLatentSchedule}), {@code label} [N] int64 ({@code classes} = no label), {@code prefix}
 * [N, prefix_length] int64 (all padding = no prefix); output {@code out} = x̂₀ [N, k, h].
 *
 * @param config sizes (dit_dim, dit_layers, dit_heads, latents, latent_dim, prefix_length, classes, vocab)
 * @param activation MLP non-linearity
 * @param zeroInit whether the adaLN modulations and the output layer start at zero (adaLN-Zero)
 */
public record LatentDenoiser(PlannerConfig config, Activation activation, boolean zeroInit) {

  /** Scope of the denoiser's parameters. */
  public static final String SCOPE = "denoiser";

  /** Declares {@code x}, {@code t}, {@code label} and (with a prefix input) {@code prefix}. */
  public Map<String, Value> declareInputs(Graph g) {
    Map<String, Value> in = new LinkedHashMap<>();
    in.put("x", g.input("x", g.floatType(), Shape.batched("N", config.latents(), config.latentDim())));
    in.put("t", g.input("t", g.floatType(), Shape.batched("N")));
    in.put("label", g.input("label", DType.INT64, Shape.batched("N")));
    if (config.prefixLength() > 0) {
      in.put("prefix", g.input("prefix", DType.INT64, Shape.batched("N", config.prefixLength())));
    }
    return in;
  }

  /** x̂₀ [N, k, h] from the inputs {@link #declareInputs} names. */
  public Value apply(Graph g, Map<String, Value> in) {
    PlannerConfig c = config;
    long d = c.ditDim();
    int k = c.latents();
    Init small = Init.truncatedNormal(0.02);
    Init outInit = zeroInit ? Init.zeros() : small;
    try (var s = g.scope(SCOPE)) {
      Value cond = new Mlp("time_mlp", new long[] {256, d, d}, Activation.SILU, false)
          .apply(g, SinusoidalEmbedding.of(256).apply(g, in.get("t")));
      cond = g.add(cond, new Embedding("label_emb", c.classes() + 1, d, small).apply(g, in.get("label")));
      Value x = Linear.of("x_in", c.latentDim(), d).apply(g, in.get("x"));
      x = g.add(x, g.constant(x.dtype(), Shape.of(k, d), sinCosPositions(k, (int) d)));
      Value prefix = null;
      int lp = c.prefixLength();
      if (lp > 0) {
        prefix = new Embedding("prefix_emb", c.vocab(), d, small).apply(g, in.get("prefix"));
        try (var p = g.scope("prefix_pos")) {
          prefix = g.add(prefix, g.parameter("weight", Shape.of(lp, d), small));
        }
      }
      TransformerOptions options = TransformerOptions.preNorm().withLinearInit(small);
      for (int l = 0; l < c.ditLayers(); l++) {
        try (var b = g.scope("block" + l)) {
          List<Value> m = new AdaptiveLayerNorm("ada_ln", d, d, 6, zeroInit).declare(g).modulations(g, cond);
          MultiHeadAttention.Declared attn = new MultiHeadAttention("attn", d, c.ditHeads()).declare(g, options);
          Value seq = prefix == null ? x : g.concat(1, prefix, x);
          Value a = attn.apply(g, AdaptiveLayerNorm.modulate(g, seq, m.get(0), m.get(1))).output();
          if (prefix != null) {
            a = g.slice(a, 1, lp, lp + k);
          }
          x = g.add(x, g.mul(m.get(2), a));
          Value f = new Mlp("mlp", new long[] {d, 4 * d, d}, activation, false)
              .apply(g, AdaptiveLayerNorm.modulate(g, x, m.get(3), m.get(4)), options);
          x = g.add(x, g.mul(m.get(5), f));
        }
      }
      AdaptiveLayerNorm.Declared fin = new AdaptiveLayerNorm("final_ada_ln", d, d, 2, zeroInit).declare(g);
      List<Value> m = fin.modulations(g, cond);
      return Linear.of("out", d, c.latentDim()).withInit(outInit).withBiasInit(outInit)
          .apply(g, fin.modulate(g, x, m.get(0), m.get(1)));
    }
  }

  /** The fixed 1-D sine-cosine embedding of positions 0..k−1, [k, d] row-major (DiT's, for one axis). */
  static double[] sinCosPositions(int k, int d) {
    double[] out = new double[k * d];
    int half = d / 2;
    for (int p = 0; p < k; p++) {
      for (int i = 0; i < half; i++) {
        double w = Math.pow(10_000, -(double) i / half);
        out[p * d + i] = Math.sin(p * w);
        out[p * d + half + i] = Math.cos(p * w);
      }
    }
    return out;
  }
}
