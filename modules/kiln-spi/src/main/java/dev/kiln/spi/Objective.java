package dev.kiln.spi;

import dev.kiln.graph.Value;
import java.util.List;
import java.util.Map;

/**
 * What a task adds on top of an architecture's graph: the scalar loss to minimise, scalar metrics
 * to log, and the parameters to train (others stay frozen).
 *
 * @param loss scalar loss
 * @param metrics scalars logged with the loss
 * @param trainable parameters that get gradients
 */
public record Objective(Value loss, Map<String, Value> metrics, List<Value> trainable) {

  public Objective {
    metrics = Map.copyOf(metrics);
    trainable = List.copyOf(trainable);
  }

  /** Trains every parameter of the loss's graph (buffers are state, not trained). */
  public static Objective of(Value loss, Map<String, Value> metrics) {
    return new Objective(loss, metrics, loss.graph().trainableParameters());
  }
}
