package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * The position-wise two-layer network of an encoder block: either with fixed weights
 * ({@link StaticFeedForward}) or with weights generated per example ({@link HyperFeedForward}).
 */
public sealed interface FeedForward permits StaticFeedForward, HyperFeedForward {

  /**
   * x [N, T, dim] (already normalised) → [N, T, dim].
   *
   * @param route the state the weights may depend on, {@code [N, dim]} (the CLS token at the start
   *     of the step); ignored by fixed weights
   */
  Value apply(Graph g, Value x, Value route);
}
