package dev.kiln.train;

import dev.kiln.graph.GraphException;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training step needs from a model: the graph, its scalar loss, scalar metrics to log, and
 * which parameters to train (the rest are frozen and fed as inputs).
 *
 * @param graph the forward graph with the loss in it
 * @param loss scalar loss
 * @param metrics extra scalars logged with the loss (name → value)
 * @param trainable parameters that receive gradients
 */
public record TrainGraph(Graph graph, Value loss, Map<String, Value> metrics, List<Value> trainable) {

  public TrainGraph {
    if (loss.rank() != 0) {
      throw new GraphException("loss must be a scalar, got " + loss.shape());
    }
    metrics = new LinkedHashMap<>(metrics);
    trainable = List.copyOf(trainable);
    for (Map.Entry<String, Value> m : metrics.entrySet()) {
      if (m.getValue().rank() != 0) {
        throw new GraphException("metric `" + m.getKey() + "` must be a scalar, got " + m.getValue().shape());
      }
    }
  }

  /** Every parameter trainable (buffers excepted), no extra metrics. */
  public static TrainGraph of(Graph graph, Value loss) {
    return new TrainGraph(graph, loss, Map.of(), graph.trainableParameters());
  }

  /** Every parameter trainable (buffers excepted), with metrics. */
  public static TrainGraph of(Graph graph, Value loss, Map<String, Value> metrics) {
    return new TrainGraph(graph, loss, metrics, graph.trainableParameters());
  }
}
