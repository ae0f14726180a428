package dev.kiln.transformers.tasks;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Losses;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Objective;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification with adaptive computation time: {@code loss = CE(logits, label) + τ·mean(ponder)},
 * where an architecture with ACT outputs its per-example ponder cost {@code ponder = N + R} (Graves
 * 2016) and the steps it used; an architecture without them is trained on cross-entropy alone.
 */
final class PonderObjective {

  private PonderObjective() {}

  /**
   * Builds {@code architecture} on its declared inputs {@code in}, declares its outputs and an int64
   * {@code label [N]} input, and returns the objective; logs accuracy, ponder and steps.
   *
   * @param classes the number of classes {@code logits} must have
   */
  static Objective build(Graph g, Architecture architecture, Map<String, Value> in, long classes,
      double ponderWeight, String task) {
    Map<String, Value> out = architecture.build(g, in);
    Value logits = out.get("logits");
    if (logits == null || logits.rank() != 2 || logits.shape().dim(1).size() != classes) {
      throw new ConfigException(task + ": the architecture must output `logits` [N, " + classes + "], it outputs "
          + out.values());
    }
    out.forEach(g::output);
    Value label = g.input("label", DType.INT64, Shape.batched("N"));
    Value loss = Losses.crossEntropy(g, logits, label);
    Map<String, Value> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", Losses.accuracy(g, logits, label));
    Value ponder = out.get("ponder");
    if (ponder != null) {
      Value mean = g.meanAll(ponder);
      metrics.put("ponder", mean);
      if (ponderWeight > 0) {
        loss = g.add(loss, g.mul(mean, ponderWeight));
      }
    }
    Value steps = out.get("steps");
    if (steps != null) {
      metrics.put("steps", g.meanAll(steps));
    }
    return Objective.of(loss, metrics);
  }
}
