package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/** Positions in a token sequence {@code [N, T, dim]}. */
public final class Tokens {

  private Tokens() {}

  /** The first (CLS) token: h [N, T, dim] → [N, dim]. */
  public static Value first(Graph g, Value h) {
    return g.reshape(g.slice(h, 1, 0, 1), 0, h.shape().dim(2).size());
  }
}
