package dev.kiln.spi;

import dev.kiln.graph.Graph;
import dev.kiln.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A training task: the data and the objective that turn an {@link Architecture} into something to
 * minimise. Batches depend only on (seed, step), so a resumed run sees the same data.
 */
public interface Task {

  /** Examples per step. */
  int batchSize();

  /**
   * Sizes of the symbolic dimensions of the training graph's inputs: the batch {@code N}, and for a task
   * whose inputs have other run-time sizes (the pairs of a field) those too.
   */
  default Map<String, Long> dimensionSizes() {
    return Map.of("N", (long) batchSize());
  }

  /** Builds the architecture into {@code g} with the task's inputs and returns the objective. */
  Objective objective(Graph g, Architecture architecture);

  /** Fills the data inputs of the training graph for {@code step} (1-based). */
  void fill(long seed, long step, Map<String, Tensor> feeds);

  /**
   * The graph outputs an exported model keeps; {@link #objective} must have declared them with
   * {@code g.output(name, value)}.
   */
  default List<String> exportOutputs(Architecture architecture) {
    return architecture.outputs();
  }

  /**
   * Evaluates the model during or after training. {@code model} runs the graph's
   * {@link #exportOutputs} with the current weights (inputs as the architecture declares them).
   * Returns metrics to log, e.g. test accuracy; none by default.
   */
  default Map<String, Double> evaluate(long seed, Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    return Map.of();
  }

  /**
   * The data this task trains on, its name and content hash, for the exported model's provenance; empty
   * for a task that cannot name its data.
   */
  default Optional<DataIdentity> dataIdentity() {
    return Optional.empty();
  }

  /** Entries for the exported model's {@code metadata_props} (e.g. the noise schedule). */
  default Map<String, String> exportMetadata() {
    return Map.of();
  }
}
