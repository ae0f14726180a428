package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * Multi-head scaled dot-product attention: {@code softmax(Q Kᵀ / √d_head) V} per head, then an output
 * projection. Self-attention reads queries, keys and values from one {@code x [N, T, dim]};
 * cross-attention ({@link Declared#apply(Graph, Value, Value)}) reads queries from {@code q [N, S, dim]}
 * and keys and values from {@code kv [N, T, dim]} of another length (a PerceiverIO's latents reading a
 * set of inputs). Queries shared by the whole batch ({@code [S, dim]}, learned latents) broadcast.
 *
 * @param name scope ({@code <name>.q}, {@code .k}, {@code .v}, {@code .out})
 * @param dim model width
 * @param heads number of heads (divides {@code dim})
 */
public record MultiHeadAttention(String name, long dim, long heads) {

  /** Score added to masked positions: exp underflows to exactly 0 in float32 and float64. */
  private static final double MASKED = -1e9;

  public MultiHeadAttention {
    if (dim % heads != 0) {
      throw new IllegalArgumentException(name + ": width " + dim + " is not divisible by " + heads + " heads");
    }
  }

  /**
   * The attention output and the attention probabilities (kept so callers can log their entropy).
   *
   * @param output [N, S, dim], one row per query
   * @param probabilities [N, heads, S, T], queries by keys
   */
  public record Result(Value output, Value probabilities) {}

  /**
   * The keys and values of the positions attended to so far (a decoder's KV cache).
   *
   * @param keys [N, heads, P, head]
   * @param values [N, heads, P, head]
   */
  public record Cache(Value keys, Value values) {}

  /**
   * An attention output with the cache extended by the positions just attended.
   *
   * @param output [N, S, dim]
   * @param cache keys and values of all P + S positions
   */
  public record Cached(Value output, Cache cache) {}

  /**
   * The declared attention, to apply any number of times.
   *
   * @param name the scope its ops are added in
   * @param q query projection
   * @param k key projection
   * @param v value projection
   * @param out output projection
   * @param dim model width
   * @param heads number of heads
   * @param causal whether query t attends only to keys ≤ t (then T must be static)
   */
  public record Declared(String name, Linear.Declared q, Linear.Declared k, Linear.Declared v, Linear.Declared out,
      long dim, long heads, boolean causal) {

    /** Self-attention: x [N, T, dim] → the output [N, T, dim] and the probabilities [N, heads, T, T]. */
    public Result apply(Graph g, Value x) {
      return attend(g, x, x, causal);
    }

    /**
     * Cross-attention: queries {@code queries [N, S, dim]} (or {@code [S, dim]}, shared by the batch)
     * attend to keys and values projected from {@code keysValues [N, T, dim]}; → the output
     * [N, S, dim] and the probabilities [N, heads, S, T]. Never causal: S and T index different sets.
     */
    public Result apply(Graph g, Value queries, Value keysValues) {
      Value q3 = queries.rank() == 2 ? g.unsqueeze(queries, 0) : queries;
      return attend(g, q3, keysValues, false);
    }

    /**
     * Causal self-attention that also returns the keys and values it used, so that decoding can go on
     * one position at a time without recomputing them. Without {@code past}, x [N, T, dim] with a
     * static T attends causally, as {@link #apply(Graph, Value)}; with {@code past} (keys and values
     * of the P positions before), x [N, 1, dim] is the next position and attends to all P + 1. The
     * returned cache holds the keys and values of every position so far, [N, heads, P + S, head].
     */
    public Cached applyCached(Graph g, Value x, Cache past) {
      long head = dim / heads;
      try (var s = g.scope(name)) {
        Value qh = split(g, q.apply(g, x), head);
        Value kh = split(g, k.apply(g, x), head);
        Value vh = split(g, v.apply(g, x), head);
        if (past != null) {
          kh = g.concat(2, past.keys(), kh);
          vh = g.concat(2, past.values(), vh);
        }
        Value scores = g.mul(g.matMul(qh, g.transpose(kh, 0, 1, 3, 2)), 1 / Math.sqrt(head));
        if (past == null && causal) {
          scores = g.add(scores, causalMask(g, x));
        }
        Value probs = g.softmax(scores, -1);
        Value ctx = g.reshape(g.transpose(g.matMul(probs, vh), 0, 2, 1, 3), 0, 0, dim);
        return new Cached(out.apply(g, ctx), new Cache(kh, vh));
      }
    }

    private Result attend(Graph g, Value queries, Value x, boolean masked) {
      long head = dim / heads;
      try (var s = g.scope(name)) {
        Value qh = split(g, q.apply(g, queries), head);
        Value kh = split(g, k.apply(g, x), head);
        Value vh = split(g, v.apply(g, x), head);
        Value scores = g.mul(g.matMul(qh, g.transpose(kh, 0, 1, 3, 2)), 1 / Math.sqrt(head));
        if (masked) {
          scores = g.add(scores, causalMask(g, x));
        }
        Value probs = g.softmax(scores, -1);
        Value ctx = g.reshape(g.transpose(g.matMul(probs, vh), 0, 2, 1, 3), 0, 0, dim);
        return new Result(out.apply(g, ctx), probs);
      }
    }

    /** [N, T, dim] → [N, heads, T, head]. */
    private Value split(Graph g, Value x, long head) {
      return g.transpose(g.reshape(x, 0, 0, heads, head), 0, 2, 1, 3);
    }
  }

  /**
   * Declares the four projections in the current scope with the model-wide switches: each configured
   * by {@link TransformerOptions#configure} (σReparam on q, k, v and out separately), and with
   * {@code options.causal()} a mask that keeps query t from keys after t.
   */
  public Declared declare(Graph g, TransformerOptions options) {
    try (var s = g.scope(name)) {
      return new Declared(name, projection(g, "q", options), projection(g, "k", options),
          projection(g, "v", options), projection(g, "out", options), dim, heads, options.causal());
    }
  }

  private Linear.Declared projection(Graph g, String part, TransformerOptions options) {
    return options.configure(Linear.of(part, dim, dim)).declare(g);
  }

  /** Attention with plain projections, declaring them. */
  public Result apply(Graph g, Value x) {
    return apply(g, x, TransformerOptions.preNorm());
  }

  /** Attention with the model-wide switches ({@link #declare}), declaring the projections. */
  public Result apply(Graph g, Value x, TransformerOptions options) {
    return declare(g, options).apply(g, x);
  }

  /** Added to the scores: {@code [T, T]} with 0 where key ≤ query and −1e9 above the diagonal. */
  private static Value causalMask(Graph g, Value x) {
    if (x.rank() != 3 || !x.shape().dim(1).isStatic()) {
      throw new IllegalArgumentException("causal attention needs x [N, T, dim] with a static T, got " + x.shape());
    }
    int t = (int) x.shape().dim(1).size();
    double[] mask = new double[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        mask[i * t + j] = MASKED;
      }
    }
    return g.constant(g.floatType(), Shape.of(t, t), mask);
  }
}
