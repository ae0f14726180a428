package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * One Transformer encoder block: self-attention and a two-layer MLP, each with a residual
 * connection and LayerNorm placed before (pre-LN) or after (post-LN) the residual sum.
 *
 * @param name scope
 * @param dim model width
 * @param heads attention heads
 * @param mlpRatio hidden width of the MLP as a multiple of {@code dim}
 * @param preNorm pre-LN if true, post-LN (the original Transformer) if false
 * @param activation MLP non-linearity
 */
public record TransformerBlock(String name, long dim, long heads, long mlpRatio, boolean preNorm,
    Activation activation) {

  public static TransformerBlock preNorm(String name, long dim, long heads) {
    return new TransformerBlock(name, dim, heads, 4, true, Activation.GELU);
  }

  /** The block output and the attention probabilities. */
  public MultiHeadAttention.Result apply(Graph g, Value x) {
    try (var s = g.scope(name)) {
      MultiHeadAttention attn = new MultiHeadAttention("attn", dim, heads);
      Mlp mlp = new Mlp("mlp", new long[] {dim, mlpRatio * dim, dim}, activation, false);
      if (preNorm) {
        MultiHeadAttention.Result a = attn.apply(g, LayerNorm.of("ln1", dim).apply(g, x));
        Value h = g.add(x, a.output());
        Value out = g.add(h, mlp.apply(g, LayerNorm.of("ln2", dim).apply(g, h)));
        return new MultiHeadAttention.Result(out, a.probabilities());
      }
      MultiHeadAttention.Result a = attn.apply(g, x);
      Value h = LayerNorm.of("ln1", dim).apply(g, g.add(x, a.output()));
      Value out = LayerNorm.of("ln2", dim).apply(g, g.add(h, mlp.apply(g, h)));
      return new MultiHeadAttention.Result(out, a.probabilities());
    }
  }
}
