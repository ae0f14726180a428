package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A stack of {@link Linear} layers with an activation between them (not after the last).
 *
 * @param name prefix of the layers' scopes ({@code <name>.<layer>})
 * @param widths layer widths, input first: {@code [in, h1, …, out]}
 * @param activation between layers
 * @param zeroLastLayer initialise the last layer to zero (common for diffusion denoisers); ignored for a
 *     σReparam layer, whose σ(0) is undefined
 * @param layerNames the layers' names, first first ({@code 0}, {@code 1}, … when null)
 */
public record Mlp(String name, long[] widths, Activation activation, boolean zeroLastLayer, List<String> layerNames) {

  public Mlp {
    if (widths.length < 2) {
      throw new IllegalArgumentException("an MLP needs at least input and output widths");
    }
    widths = widths.clone();
    if (layerNames != null) {
      if (layerNames.size() != widths.length - 1) {
        throw new IllegalArgumentException(name + ": " + layerNames.size() + " layer names for "
            + (widths.length - 1) + " layers");
      }
      layerNames = List.copyOf(layerNames);
    }
  }

  /** Layers named {@code <name>.0}, {@code <name>.1}, …. */
  public Mlp(String name, long[] widths, Activation activation, boolean zeroLastLayer) {
    this(name, widths, activation, zeroLastLayer, null);
  }

  /** The same MLP with its layers named {@code <name>.<names[i]>}. */
  public Mlp withLayerNames(String... names) {
    return new Mlp(name, widths, activation, zeroLastLayer, List.of(names));
  }

  /**
   * The declared MLP, to apply any number of times.
   *
   * @param layers the linear layers, first first
   * @param activation between layers
   */
  public record Declared(List<Linear.Declared> layers, Activation activation) implements FeedForward {

    public Declared {
      layers = List.copyOf(layers);
    }

    /** x [..., in] → [..., out]. */
    public Value apply(Graph g, Value x) {
      Value h = x;
      for (int i = 0; i < layers.size(); i++) {
        h = layers.get(i).apply(g, h);
        if (i < layers.size() - 1) {
          h = activation.apply(g, h);
        }
      }
      return h;
    }

    /** As {@link #apply(Graph, Value)}: the weights do not depend on the block's input. */
    @Override
    public Value apply(Graph g, Value x, Value blockInput) {
      return apply(g, x);
    }
  }

  /** Declares every layer in the current scope, with plain weights. */
  public Declared declare(Graph g) {
    return declare(g, UnaryOperator.identity());
  }

  /**
   * Declares every layer in the current scope, each configured by the model-wide switches
   * ({@link TransformerOptions#configure}: initialiser and σReparam; norm and causal do not apply).
   */
  public Declared declare(Graph g, TransformerOptions options) {
    return declare(g, options::configure);
  }

  /** x [..., in] → [..., out], declaring the layers. */
  public Value apply(Graph g, Value x) {
    return declare(g).apply(g, x);
  }

  /** x [..., in] → [..., out], declaring the layers with the model-wide switches. */
  public Value apply(Graph g, Value x, TransformerOptions options) {
    return declare(g, options).apply(g, x);
  }

  private Declared declare(Graph g, UnaryOperator<Linear> configure) {
    int count = widths.length - 1;
    List<Linear.Declared> layers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String layer = name + "." + (layerNames == null ? String.valueOf(i) : layerNames.get(i));
      Linear lin = configure.apply(Linear.of(layer, widths[i], widths[i + 1]));
      if (zeroLastLayer && i == count - 1 && lin.sigmaReparam() == null) {
        lin = lin.withInit(Init.zeros());
      }
      layers.add(lin.declare(g));
    }
    return new Declared(layers, activation);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mlp m && name.equals(m.name) && java.util.Arrays.equals(widths, m.widths)
        && activation == m.activation && zeroLastLayer == m.zeroLastLayer
        && java.util.Objects.equals(layerNames, m.layerNames);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, java.util.Arrays.hashCode(widths), activation, zeroLastLayer, layerNames);
  }

  @Override
  public String toString() {
    return "Mlp[" + name + ", " + java.util.Arrays.toString(widths) + ", " + activation
        + (layerNames == null ? "" : ", " + layerNames) + "]";
  }
}
