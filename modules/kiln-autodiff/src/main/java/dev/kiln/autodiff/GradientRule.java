package dev.kiln.autodiff;

import dev.kiln.graph.Value;
import java.util.List;

/**
 * The derivative of one operator: given the gradients of a node's outputs, build the gradients of
 * its inputs as new nodes in the same graph.
 */
@FunctionalInterface
public interface GradientRule {

  /**
   * Returns one entry per node input: its gradient (same shape and type as the input), or null where
   * the input gets none (integer inputs, conditions, indices).
   */
  List<Value> backward(GradContext c);
}
