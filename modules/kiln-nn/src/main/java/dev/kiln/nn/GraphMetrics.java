package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Node;
import dev.kiln.graph.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scalars a model marks, while it is being built, as worth logging during training (attention
 * entropy, for one). A model built into a graph calls {@link #mark}; a task collects them with
 * {@link #marked} and logs them next to its loss. Marked values are left out of exported models
 * unless an output needs them.
 */
public final class GraphMetrics {

  /** Prefix of the value names that carry marked scalars. */
  public static final String PREFIX = "marked_metric/";

  private GraphMetrics() {}

  /** Marks {@code scalar} (rank 0) under {@code name}; its gradient is stopped. */
  public static void mark(Graph g, String name, Value scalar) {
    if (scalar.rank() != 0) {
      throw new IllegalArgumentException("metric `" + name + "` must be a scalar, got " + scalar.shape());
    }
    g.applyNamed("", "Identity", null, List.of(g.stopGradient(scalar)), Map.of(), List.of(PREFIX + name));
  }

  /** Marks every entry of {@code scalars}. */
  public static void markAll(Graph g, Map<String, Value> scalars) {
    scalars.forEach((k, v) -> mark(g, k, v));
  }

  /** The scalars marked in {@code g}, by name, in the order they were marked. */
  public static Map<String, Value> marked(Graph g) {
    Map<String, Value> m = new LinkedHashMap<>();
    for (Node n : g.nodes()) {
      if (n.opType().equals("Identity") && n.outputs().size() == 1 && n.outputs().get(0).name().startsWith(PREFIX)) {
        m.put(n.outputs().get(0).name().substring(PREFIX.length()), n.outputs().get(0));
      }
    }
    return m;
  }
}
