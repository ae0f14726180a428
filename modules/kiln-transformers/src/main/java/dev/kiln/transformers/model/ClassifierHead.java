package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * {@code logits = LN(z)·W + b} on the CLS state {@code z [N, dim]}.
 *
 * @param norm final LN
 * @param proj projection to the classes
 */
public record ClassifierHead(Norm norm, Dense proj) {

  /** Declares {@code head.norm} and {@code head.proj}. */
  public static ClassifierHead declare(Graph g, long dim, long classes) {
    try (var s = g.scope("head")) {
      return new ClassifierHead(Norm.declare(g, "norm", dim), Dense.declare(g, "proj", dim, classes));
    }
  }

  /** z [N, dim] → logits [N, classes]. */
  public Value apply(Graph g, Value z) {
    return proj.apply(g, norm.apply(g, z));
  }
}
