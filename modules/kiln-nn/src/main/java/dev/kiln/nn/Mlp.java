package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Value;
import java.util.function.UnaryOperator;

/**
 * A stack of {@link Linear} layers with an activation between them (not after the last).
 *
 * @param name scope ({@code <name>.0}, {@code <name>.1}, …)
 * @param widths layer widths, input first: {@code [in, h1, …, out]}
 * @param activation between layers
 * @param zeroLastLayer initialise the last layer to zero (common for diffusion denoisers); ignored for a
 *     σReparam layer, whose σ(0) is undefined
 */
public record Mlp(String name, long[] widths, Activation activation, boolean zeroLastLayer) {

  public Mlp {
    if (widths.length < 2) {
      throw new IllegalArgumentException("an MLP needs at least input and output widths");
    }
    widths = widths.clone();
  }

  /** x [..., in] → [..., out]. */
  public Value apply(Graph g, Value x) {
    return apply(g, x, UnaryOperator.identity());
  }

  /**
   * x [..., in] → [..., out], every layer configured by the model-wide switches
   * ({@link TransformerOptions#configure}: initialiser and σReparam; norm and causal do not apply).
   */
  public Value apply(Graph g, Value x, TransformerOptions options) {
    return apply(g, x, options::configure);
  }

  private Value apply(Graph g, Value x, UnaryOperator<Linear> configure) {
    Value h = x;
    int layers = widths.length - 1;
    for (int i = 0; i < layers; i++) {
      Linear lin = configure.apply(Linear.of(name + "." + i, widths[i], widths[i + 1]));
      if (zeroLastLayer && i == layers - 1 && lin.sigmaReparam() == null) {
        lin = lin.withInit(Init.zeros());
      }
      h = lin.apply(g, h);
      if (i < layers - 1) {
        h = activation.apply(g, h);
      }
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mlp m && name.equals(m.name) && java.util.Arrays.equals(widths, m.widths)
        && activation == m.activation && zeroLastLayer == m.zeroLastLayer;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, java.util.Arrays.hashCode(widths), activation, zeroLastLayer);
  }

  @Override
  public String toString() {
    return "Mlp[" + name + ", " + java.util.Arrays.toString(widths) + ", " + activation + "]";
  }
}
