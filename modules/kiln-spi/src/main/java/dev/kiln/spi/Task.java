package dev.kiln.spi;

import dev.kiln.graph.Graph;
import dev.kiln.runtime.Tensor;
import java.util.Map;

/**
 * A training task: the data and the objective that turn an {@link Architecture} into something to
 * minimise. Batches depend only on (seed, step), so a resumed run sees the same data.
 */
public interface Task {

  /** Examples per step. */
  int batchSize();

  /** Builds the architecture into {@code g} with the task's inputs and returns the objective. */
  Objective objective(Graph g, Architecture architecture);

  /** Fills the data inputs of the training graph for {@code step} (1-based). */
  void fill(long seed, long step, Map<String, Tensor> feeds);
}
