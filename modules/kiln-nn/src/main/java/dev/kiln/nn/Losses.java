package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/** Scalar training losses built from graph ops. */
public final class Losses {

  private Losses() {}

  /** Mean squared error over every element. */
  public static Value mse(Graph g, Value prediction, Value target) {
    return g.meanAll(g.square(g.sub(prediction, target)));
  }

  /** Mean cross-entropy of {@code logits [N, C]} against int64 class {@code labels [N]}. */
  public static Value crossEntropy(Graph g, Value logits, Value labels) {
    Value logp = g.logSoftmax(logits, -1);
    Value picked = g.gatherElements(logp, g.unsqueeze(labels, 1), 1);
    return g.neg(g.meanAll(picked));
  }

  /** Fraction of rows of {@code logits [N, C]} whose arg-max equals {@code labels [N]}. */
  public static Value accuracy(Graph g, Value logits, Value labels) {
    Value best = g.apply("ArgMax", java.util.List.of(logits), Graph.attrs("axis", 1L, "keepdims", 0L));
    return g.meanAll(g.cast(g.equal(best, labels), logits.dtype()));
  }
}
