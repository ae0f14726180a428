package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * One Transformer block: self-attention and a two-layer MLP, each with a residual connection and
 * LayerNorm placed before (pre-LN) or after (post-LN) the residual sum, or no LayerNorm at all
 * (the σReparam recipe, see {@link TransformerOptions}).
 *
 * @param name scope
 * @param dim model width
 * @param heads attention heads
 * @param mlpRatio hidden width of the MLP as a multiple of {@code dim}
 * @param preNorm pre-LN if true, post-LN (the original Transformer) if false; used by
 *     {@link #apply(Graph, Value)} only, {@link #apply(Graph, Value, TransformerOptions)} takes the
 *     placement from its options
 * @param activation MLP non-linearity
 */
public record TransformerBlock(String name, long dim, long heads, long mlpRatio, boolean preNorm,
    Activation activation) {

  public static TransformerBlock preNorm(String name, long dim, long heads) {
    return new TransformerBlock(name, dim, heads, 4, true, Activation.GELU);
  }

  /** The block output and the attention probabilities, with this block's pre/post-LN and plain layers. */
  public MultiHeadAttention.Result apply(Graph g, Value x) {
    return apply(g, x, preNorm ? TransformerOptions.preNorm() : TransformerOptions.postNorm());
  }

  /**
   * The block output and the attention probabilities, with the model-wide switches: LayerNorm
   * placement {@code options.norm()} (this record's {@code preNorm} is not consulted), σReparam and
   * initialiser of every linear layer, causal attention.
   * <pre>
   *   PRE:  h = x + Attn(LN₁(x));   y = h + MLP(LN₂(h))
   *   POST: h = LN₁(x + Attn(x));   y = LN₂(h + MLP(h))
   *   NONE: h = x + Attn(x);        y = h + MLP(h)
   * </pre>
   */
  public MultiHeadAttention.Result apply(Graph g, Value x, TransformerOptions options) {
    try (var s = g.scope(name)) {
      MultiHeadAttention attn = new MultiHeadAttention("attn", dim, heads);
      Mlp mlp = new Mlp("mlp", new long[] {dim, mlpRatio * dim, dim}, activation, false);
      TransformerOptions.Norm norm = options.norm();
      MultiHeadAttention.Result a;
      Value h;
      Value out;
      if (norm == TransformerOptions.Norm.PRE) {
        a = attn.apply(g, LayerNorm.of("ln1", dim).apply(g, x), options);
        h = g.add(x, a.output());
        out = g.add(h, mlp.apply(g, LayerNorm.of("ln2", dim).apply(g, h), options));
      } else if (norm == TransformerOptions.Norm.POST) {
        a = attn.apply(g, x, options);
        h = LayerNorm.of("ln1", dim).apply(g, g.add(x, a.output()));
        out = LayerNorm.of("ln2", dim).apply(g, g.add(h, mlp.apply(g, h, options)));
      } else {
        a = attn.apply(g, x, options);
        h = g.add(x, a.output());
        out = g.add(h, mlp.apply(g, h, options));
      }
      return new MultiHeadAttention.Result(out, a.probabilities());
    }
  }
}
