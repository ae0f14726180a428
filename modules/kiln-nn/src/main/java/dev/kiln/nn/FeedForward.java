package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * The position-wise network of a {@link TransformerBlock}, declared once and applied at every use of
 * the block: an {@link Mlp} by default, or a network whose weights depend on the block's input (a
 * hyper network's generated weights).
 */
public interface FeedForward {

  /**
   * x [N, T, dim] (the residual branch's input, normalised as the block's placement says) →
   * [N, T, dim].
   *
   * @param blockInput the block's input h [N, T, dim], which generated weights may depend on
   */
  Value apply(Graph g, Value x, Value blockInput);

  /** Declares a block's feed-forward network, in the block's scope, with the model-wide switches. */
  @FunctionalInterface
  interface Declarer {
    FeedForward declare(Graph g, TransformerBlock block, TransformerOptions options);
  }
}
