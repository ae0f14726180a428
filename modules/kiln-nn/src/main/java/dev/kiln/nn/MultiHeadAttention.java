package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * Multi-head scaled dot-product self-attention over {@code x [N, T, dim]}:
 * {@code softmax(Q Kᵀ / √d_head) V} per head, then an output projection.
 *
 * @param name scope ({@code <name>.q}, {@code .k}, {@code .v}, {@code .out})
 * @param dim model width
 * @param heads number of heads (divides {@code dim})
 */
public record MultiHeadAttention(String name, long dim, long heads) {

  public MultiHeadAttention {
    if (dim % heads != 0) {
      throw new IllegalArgumentException(name + ": width " + dim + " is not divisible by " + heads + " heads");
    }
  }

  /**
   * The attention output and the attention probabilities (kept so callers can log their entropy).
   *
   * @param output [N, T, dim]
   * @param probabilities [N, heads, T, T]
   */
  public record Result(Value output, Value probabilities) {}

  public Result apply(Graph g, Value x) {
    long head = dim / heads;
    try (var s = g.scope(name)) {
      Value q = split(g, Linear.of("q", dim, dim).apply(g, x), head);
      Value k = split(g, Linear.of("k", dim, dim).apply(g, x), head);
      Value v = split(g, Linear.of("v", dim, dim).apply(g, x), head);
      Value scores = g.mul(g.matMul(q, g.transpose(k, 0, 1, 3, 2)), 1 / Math.sqrt(head));
      Value probs = g.softmax(scores, -1);
      Value ctx = g.reshape(g.transpose(g.matMul(probs, v), 0, 2, 1, 3), 0, 0, dim);
      return new Result(Linear.of("out", dim, dim).apply(g, ctx), probs);
    }
  }

  /** [N, T, dim] → [N, heads, T, head]. */
  private Value split(Graph g, Value x, long head) {
    return g.transpose(g.reshape(x, 0, 0, heads, head), 0, 2, 1, 3);
  }
}
