package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;

/**
 * {@code act(x·W1 + b1)·W2 + b2}, the same weights for every example.
 *
 * @param in first layer {@code [dim, ffn]}
 * @param out second layer {@code [ffn, dim]}
 * @param activation the non-linearity
 */
public record StaticFeedForward(Dense in, Dense out, Activation activation) implements FeedForward {

  /** Declares {@code <name>.w1} and {@code <name>.w2}. */
  public static StaticFeedForward declare(Graph g, String name, long dim, long ffn, Activation activation) {
    try (var s = g.scope(name)) {
      return new StaticFeedForward(Dense.declare(g, "w1", dim, ffn), Dense.declare(g, "w2", ffn, dim), activation);
    }
  }

  @Override
  public Value apply(Graph g, Value x, Value route) {
    return out.apply(g, activation.apply(g, in.apply(g, x)));
  }
}
