package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import java.util.List;

/**
 * One Transformer block: self-attention and a feed-forward network (a two-layer {@link Mlp} unless
 * the caller declares another {@link FeedForward}), each with a residual connection and LayerNorm
 * placed before (pre-LN) or after (post-LN) the residual sum, or no LayerNorm at all (the σReparam
 * recipe, see {@link TransformerOptions}). {@link #declare} declares the parameters once and returns a
 * block to apply any number of times (one block at every step of a Universal Transformer).
 *
 * @param name scope
 * @param dim model width
 * @param heads attention heads
 * @param hidden hidden width of the feed-forward network
 * @param preNorm pre-LN if true, post-LN (the original Transformer) if false; used by
 *     {@link #apply(Graph, Value)} only, the other methods take the placement from their options
 * @param activation feed-forward non-linearity
 * @param names the parts' names
 */
public record TransformerBlock(String name, long dim, long heads, long hidden, boolean preNorm,
    Activation activation, Names names) {

  /**
   * What a block's parts are called inside its scope, so that each model keeps its parameter names.
   *
   * @param norm1 the LayerNorm of the attention branch
   * @param norm2 the LayerNorm of the feed-forward branch
   * @param feedForward the feed-forward network
   * @param feedForwardLayers the default MLP's two layers
   */
  public record Names(String norm1, String norm2, String feedForward, List<String> feedForwardLayers) {

    /** {@code ln1}, {@code attn}, {@code ln2}, {@code mlp.0}, {@code mlp.1}. */
    public static final Names DEFAULT = new Names("ln1", "ln2", "mlp", List.of("0", "1"));

    /** {@code norm1}, {@code attn}, {@code norm2}, {@code ffn.w1}, {@code ffn.w2}: kiln-transformers' encoders. */
    public static final Names ENCODER = new Names("norm1", "norm2", "ffn", List.of("w1", "w2"));

    public Names {
      feedForwardLayers = List.copyOf(feedForwardLayers);
    }
  }

  public TransformerBlock {
    if (names == null) {
      throw new IllegalArgumentException(name + ": a transformer block needs the names of its parts");
    }
  }

  /** A block with the default names whose MLP is {@code mlpRatio·dim} wide. */
  public TransformerBlock(String name, long dim, long heads, long mlpRatio, boolean preNorm, Activation activation) {
    this(name, dim, heads, mlpRatio * dim, preNorm, activation, Names.DEFAULT);
  }

  public static TransformerBlock preNorm(String name, long dim, long heads) {
    return new TransformerBlock(name, dim, heads, 4, true, Activation.GELU);
  }

  /** The attention, named {@code attn}. */
  public MultiHeadAttention attention() {
    return new MultiHeadAttention("attn", dim, heads);
  }

  /** The default feed-forward network: {@code [dim, hidden, dim]} with this block's activation. */
  public Mlp mlp() {
    return new Mlp(names.feedForward(), new long[] {dim, hidden, dim}, activation, false, names.feedForwardLayers());
  }

  /**
   * The declared block.
   *
   * @param name the scope its ops are added in
   * @param norm LayerNorm placement
   * @param norm1 LayerNorm of the attention branch, null without LayerNorm
   * @param attention the attention
   * @param norm2 LayerNorm of the feed-forward branch, null without LayerNorm
   * @param feedForward the feed-forward network
   */
  public record Declared(String name, TransformerOptions.Norm norm, LayerNorm.Declared norm1,
      MultiHeadAttention.Declared attention, LayerNorm.Declared norm2, FeedForward feedForward) {

    /**
     * x [N, T, dim] → the block output [N, T, dim] and the attention probabilities:
     * <pre>
     *   PRE:  h = x + Attn(LN₁(x));   y = h + FF(LN₂(h))
     *   POST: h = LN₁(x + Attn(x));   y = LN₂(h + FF(h))
     *   NONE: h = x + Attn(x);        y = h + FF(h)
     * </pre>
     */
    public MultiHeadAttention.Result apply(Graph g, Value x) {
      MultiHeadAttention.Result[] a = new MultiHeadAttention.Result[1];
      Value out = residuals(g, x, in -> {
        a[0] = attention.apply(g, in);
        return a[0].output();
      });
      return new MultiHeadAttention.Result(out, a[0].probabilities());
    }

    /**
     * As {@link #apply(Graph, Value)} with causal attention that reads and extends a KV cache
     * ({@link MultiHeadAttention.Declared#applyCached}): without {@code past} x [N, T, dim] is a whole
     * prefix, with it x [N, 1, dim] is the next position.
     */
    public MultiHeadAttention.Cached applyCached(Graph g, Value x, MultiHeadAttention.Cache past) {
      MultiHeadAttention.Cached[] a = new MultiHeadAttention.Cached[1];
      Value out = residuals(g, x, in -> {
        a[0] = attention.applyCached(g, in, past);
        return a[0].output();
      });
      return new MultiHeadAttention.Cached(out, a[0].cache());
    }

    private Value residuals(Graph g, Value x, java.util.function.UnaryOperator<Value> attend) {
      try (var s = g.scope(name)) {
        if (norm == TransformerOptions.Norm.PRE) {
          Value h = g.add(x, attend.apply(norm1.apply(g, x)));
          return g.add(h, feedForward.apply(g, norm2.apply(g, h), x));
        } else if (norm == TransformerOptions.Norm.POST) {
          Value h = norm1.apply(g, g.add(x, attend.apply(x)));
          return norm2.apply(g, g.add(h, feedForward.apply(g, h, x)));
        }
        Value h = g.add(x, attend.apply(x));
        return g.add(h, feedForward.apply(g, h, x));
      }
    }
  }

  /**
   * Declares the block in the current scope with the model-wide switches (LayerNorm placement
   * {@code options.norm()}, not this record's {@code preNorm}; σReparam and initialiser of every
   * linear layer; causal attention) and the default {@link #mlp()}.
   */
  public Declared declare(Graph g, TransformerOptions options) {
    return declare(g, options, (graph, block, o) -> block.mlp().declare(graph, o));
  }

  /**
   * As {@link #declare(Graph, TransformerOptions)}, with the feed-forward network that
   * {@code feedForward} declares. Parts are declared in the order they are applied.
   */
  public Declared declare(Graph g, TransformerOptions options, FeedForward.Declarer feedForward) {
    try (var s = g.scope(name)) {
      TransformerOptions.Norm norm = options.norm();
      if (norm == TransformerOptions.Norm.PRE) {
        LayerNorm.Declared n1 = LayerNorm.of(names.norm1(), dim).declare(g);
        MultiHeadAttention.Declared attn = attention().declare(g, options);
        LayerNorm.Declared n2 = LayerNorm.of(names.norm2(), dim).declare(g);
        return new Declared(name, norm, n1, attn, n2, feedForward.declare(g, this, options));
      }
      MultiHeadAttention.Declared attn = attention().declare(g, options);
      LayerNorm.Declared n1 = norm == TransformerOptions.Norm.POST ? LayerNorm.of(names.norm1(), dim).declare(g) : null;
      FeedForward ff = feedForward.declare(g, this, options);
      LayerNorm.Declared n2 = norm == TransformerOptions.Norm.POST ? LayerNorm.of(names.norm2(), dim).declare(g) : null;
      return new Declared(name, norm, n1, attn, n2, ff);
    }
  }

  /** The block output and the attention probabilities, with this block's pre/post-LN and plain layers. */
  public MultiHeadAttention.Result apply(Graph g, Value x) {
    return apply(g, x, preNorm ? TransformerOptions.preNorm() : TransformerOptions.postNorm());
  }

  /** The block output and the attention probabilities with the model-wide switches, declaring the block. */
  public MultiHeadAttention.Result apply(Graph g, Value x, TransformerOptions options) {
    return declare(g, options).apply(g, x);
  }
}
