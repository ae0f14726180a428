package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.LayerNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.TransformerOptions;

/**
 * {@code logits = LN(z)·W + b} on the CLS state {@code z [N, dim]}; the LayerNorm only where the
 * options give the stack a final one ({@link TransformerOptions#finalNorm}).
 *
 * @param norm final LN, or null
 * @param proj projection to the classes
 */
public record ClassifierHead(LayerNorm.Declared norm, Linear.Declared proj) {

  /** Declares {@code head.norm} and {@code head.proj}, the projection configured by {@code options}. */
  public static ClassifierHead declare(Graph g, long dim, long classes, TransformerOptions options) {
    try (var s = g.scope("head")) {
      return new ClassifierHead(options.finalNorm() ? LayerNorm.of("norm", dim).declare(g) : null,
          options.configure(Linear.of("proj", dim, classes)).declare(g));
    }
  }

  /** z [N, dim] → logits [N, classes]. */
  public Value apply(Graph g, Value z) {
    try (var s = g.scope("head")) {
      return proj.apply(g, norm == null ? z : norm.apply(g, z));
    }
  }
}
