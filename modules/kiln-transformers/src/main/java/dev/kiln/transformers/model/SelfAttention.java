package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * Multi-head scaled dot-product self-attention, {@code softmax(Q Kᵀ/√d_head) V} per head followed by
 * an output projection, with its parameters declared once so a shared block can apply it at every
 * step.
 *
 * @param q query projection
 * @param k key projection
 * @param v value projection
 * @param out output projection
 * @param dim model width
 * @param heads number of heads (divides {@code dim})
 */
public record SelfAttention(Dense q, Dense k, Dense v, Dense out, long dim, long heads) {

  /** Declares {@code <name>.q}, {@code .k}, {@code .v} and {@code .out}. */
  public static SelfAttention declare(Graph g, String name, long dim, long heads) {
    if (dim % heads != 0) {
      throw new IllegalArgumentException(name + ": width " + dim + " is not divisible by " + heads + " heads");
    }
    try (var s = g.scope(name)) {
      return new SelfAttention(Dense.declare(g, "q", dim, dim), Dense.declare(g, "k", dim, dim),
          Dense.declare(g, "v", dim, dim), Dense.declare(g, "out", dim, dim), dim, heads);
    }
  }

  /** x [N, T, dim] → [N, T, dim]. */
  public Value apply(Graph g, Value x) {
    long head = dim / heads;
    Value qh = split(g, q.apply(g, x), head);
    Value kh = split(g, k.apply(g, x), head);
    Value vh = split(g, v.apply(g, x), head);
    Value scores = g.mul(g.matMul(qh, g.transpose(kh, 0, 1, 3, 2)), 1 / Math.sqrt(head));
    Value ctx = g.matMul(g.softmax(scores, -1), vh);
    return out.apply(g, g.reshape(g.transpose(ctx, 0, 2, 1, 3), 0, 0, dim));
  }

  /** [N, T, dim] → [N, heads, T, head]. */
  private Value split(Graph g, Value x, long head) {
    return g.transpose(g.reshape(x, 0, 0, heads, head), 0, 2, 1, 3);
  }
}
