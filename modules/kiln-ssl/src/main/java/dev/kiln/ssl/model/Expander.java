package dev.kiln.ssl.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.BatchNorm;
import dev.kiln.nn.Linear;
import java.util.List;

/**
 * VICReg's expander (projector): Linear, BatchNorm, ReLU between layers, the last Linear without bias
 * (official code: {@code 8192-8192-8192} on ResNet-50).
 *
 * @param in backbone feature width
 * @param widths layer widths; the last is the embedding dimension d
 */
public record Expander(long in, List<Long> widths) {

  public Expander {
    widths = List.copyOf(widths);
    if (widths.isEmpty()) {
      throw new IllegalArgumentException("an expander needs at least one layer");
    }
  }

  /** The embedding dimension d. */
  public long dim() {
    return widths.get(widths.size() - 1);
  }

  /** features [N, in] → embedding [N, d]; {@code training} picks batch or running statistics. */
  public Value apply(Graph g, Value features, boolean training) {
    try (var s = g.scope("expander")) {
      Value h = features;
      long width = in;
      for (int i = 0; i < widths.size(); i++) {
        long out = widths.get(i);
        boolean last = i == widths.size() - 1;
        Linear layer = Linear.of("linear" + i, width, out);
        h = (last ? layer.withoutBias() : layer).apply(g, h);
        if (!last) {
          h = g.relu(BatchNorm.of("norm" + i, out).apply(g, h, training));
        }
        width = out;
      }
      return h;
    }
  }
}
