package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * A lookup table {@code [vocab, dim]} indexed by int64 ids.
 *
 * @param name scope of {@code <name>.weight}
 * @param vocab number of rows
 * @param dim row width
 * @param init initialiser (normal(1) as in PyTorch by default)
 */
public record Embedding(String name, long vocab, long dim, Init init) {

  public static Embedding of(String name, long vocab, long dim) {
    return new Embedding(name, vocab, dim, Init.normal(1.0));
  }

  /**
   * The declared table, to look up any number of times (or to read as a tied output projection).
   *
   * @param name the scope its ops are added in
   * @param weight the table {@code [vocab, dim]}
   */
  public record Declared(String name, Value weight) {

    /** ids [...] (int64) → [..., dim]. */
    public Value apply(Graph g, Value ids) {
      try (var s = g.scope(name)) {
        return g.gather(weight, ids, 0);
      }
    }
  }

  /** Declares {@code <name>.weight} in the current scope. */
  public Declared declare(Graph g) {
    try (var s = g.scope(name)) {
      return new Declared(name, g.parameter("weight", Shape.of(vocab, dim), init));
    }
  }

  /** ids [...] (int64) → [..., dim], declaring the table. */
  public Value apply(Graph g, Value ids) {
    return declare(g).apply(g, ids);
  }
}
