package dev.kiln.transformers.tasks;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Losses;
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

  /** The objective over the architecture's outputs {@code out}; logs accuracy, ponder and steps. */
  static Objective of(Graph g, Map<String, Value> out, Value label, double ponderWeight, String task) {
    Value logits = out.get("logits");
    if (logits == null) {
      throw new ConfigException(task + ": the architecture must output `logits`");
    }
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
