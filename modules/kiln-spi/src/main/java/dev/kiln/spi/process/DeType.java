package dev.kiln.spi.process;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Which reverse dynamics an AGM model is trained for: the stochastic bridge itself, or its
 * probability-flow ODE, whose acceleration label adds −½g²∇_v log p (arXiv 2310.07805, §3).
 */
public enum DeType {
  /** dv = a dt + g dW: Euler–Maruyama or SSCS sampling. */
  SDE("sde"),
  /** dv = (a − ½g²∇_v log p) dt: deterministic sampling (gDDIM, Euler). */
  PROB_ODE("prob_ode");

  private final String id;

  DeType(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static DeType parse(String s) {
    for (DeType d : values()) {
      if (d.id.equals(s)) {
        return d;
      }
    }
    throw new IllegalArgumentException("de_type must be one of "
        + Arrays.stream(values()).map(DeType::id).toList() + ", got `" + s + "`");
  }
}
