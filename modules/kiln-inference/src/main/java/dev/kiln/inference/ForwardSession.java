package dev.kiln.inference;

import dev.kiln.graph.Graph;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Selected outputs of a training graph run with the live weights: parameters stay graph inputs and
 * are read from the weights' direct buffers, so evaluating during training copies no weights and
 * always sees the latest update (or the EMA, if handed those).
 */
public final class ForwardSession implements AutoCloseable {

  private final Session session;
  private final Weights weights;

  private ForwardSession(Session session, Weights weights) {
    this.session = session;
    this.weights = weights;
  }

  /** Compiles the part of {@code g} that computes {@code outputs} (declared graph outputs). */
  public static ForwardSession compile(Graph g, OrtBackend backend, Weights weights, String... outputs) {
    return new ForwardSession(backend.load(ModelWriter.of(g).onlyOutputs(outputs).toBytes()), weights);
  }

  /** Runs with the given data inputs plus the weights; returns the outputs as new tensors. */
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    Map<String, Tensor> all = new LinkedHashMap<>(inputs);
    for (String name : session.inputNames()) {
      if (!all.containsKey(name)) {
        all.put(name, weights.get(name));
      }
    }
    return session.run(all);
  }

  @Override
  public void close() {
    session.close();
  }
}
