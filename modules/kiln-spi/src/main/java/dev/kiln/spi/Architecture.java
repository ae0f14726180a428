package dev.kiln.spi;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import java.util.List;
import java.util.Map;

/**
 * A model definition: it builds graphs, it does not run them. The same {@link #build} makes the
 * training graph (with a loss added by a task) and the exported model, so what is trained is what
 * is served.
 */
public interface Architecture {

  /** The inputs {@link #build} reads. */
  List<ModelInput> inputs();

  /** The names of the outputs {@link #build} returns. */
  List<String> outputs();

  /**
   * Declares parameters in {@code g} and computes the outputs from {@code inputs} (already declared
   * graph inputs, one per {@link #inputs()} entry).
   */
  Map<String, Value> build(Graph g, Map<String, Value> inputs);

  /** Declares this architecture's inputs in {@code g}. */
  default Map<String, Value> declareInputs(Graph g) {
    Map<String, Value> m = new java.util.LinkedHashMap<>();
    for (ModelInput in : inputs()) {
      m.put(in.name(), g.input(in.name(), in.dtype().isFloating() ? g.floatType() : in.dtype(), in.shape()));
    }
    return m;
  }
}
