package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import java.util.Locale;

/** Point-wise non-linearities. */
public enum Activation {
  IDENTITY, RELU, SILU, GELU, TANH, SIGMOID;

  /** Applies the activation to {@code x}. */
  public Value apply(Graph g, Value x) {
    return switch (this) {
      case IDENTITY -> x;
      case RELU -> g.relu(x);
      case SILU -> g.silu(x);
      case GELU -> g.gelu(x);
      case TANH -> g.tanh(x);
      case SIGMOID -> g.sigmoid(x);
    };
  }

  /** Parses {@code relu}, {@code silu}, … (any case). */
  public static Activation parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("activation must be one of identity, relu, silu, gelu, tanh, sigmoid;"
          + " got `" + s + "`", e);
    }
  }
}
