package dev.kiln.nn;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Adaptive layer normalisation (adaLN, DiT: Peebles and Xie, arXiv 2212.09748 §3.2): a conditioning
 * vector {@code c [N, cond]} gives, through {@code SiLU → Linear(cond, chunks·dim)}, {@code chunks}
 * modulation vectors of width {@code dim} (DiT's block uses six: shift, scale and gate for attention
 * and for the MLP); {@link Declared#modulate} normalises x over its last axis without a learned
 * affine and applies one shift and scale:
 * <pre>
 *   adaLN(x; shift, scale) = (x − μ)/√(σ² + ε) · (1 + scale) + shift
 * </pre>
 * With {@code zero} the modulation layer starts at zero (adaLN-Zero), so each modulated block starts
 * as the identity once its gates multiply the residual branches.
 *
 * @param name scope of {@code <name>.weight}, {@code <name>.bias}
 * @param dim width of the normalised features
 * @param cond width of the conditioning vector
 * @param chunks number of modulation vectors
 * @param zero whether the modulation layer is zero-initialised
 */
public record AdaptiveLayerNorm(String name, long dim, long cond, int chunks, boolean zero) {

  private static final double EPSILON = 1e-6;

  /**
   * The declared modulation layer.
   *
   * @param layer SiLU's input to the modulation vectors
   * @param dim width of the normalised features
   * @param chunks number of modulation vectors
   */
  public record Declared(Linear.Declared layer, long dim, int chunks) {

    /** c [N, cond] → {@code chunks} vectors [N, 1, dim], broadcasting over positions. */
    public List<Value> modulations(Graph g, Value c) {
      Value all = g.unsqueeze(layer.apply(g, g.silu(c)), 1);
      List<Value> out = new ArrayList<>(chunks);
      for (int i = 0; i < chunks; i++) {
        out.add(g.slice(all, 2, i * dim, (i + 1) * dim));
      }
      return out;
    }

    /** {@link AdaptiveLayerNorm#modulate}. */
    public Value modulate(Graph g, Value x, Value shift, Value scale) {
      return AdaptiveLayerNorm.modulate(g, x, shift, scale);
    }
  }

  /**
   * x [N, T, dim] normalised over the last axis without a learned affine, then
   * {@code · (1 + scale) + shift} (both [N, 1, dim]).
   */
  public static Value modulate(Graph g, Value x, Value shift, Value scale) {
    return g.add(g.mul(normalise(g, x, x.shape().dim(x.rank() - 1).size()), g.add(scale, 1.0)), shift);
  }

  /** LayerNorm without a learned scale and shift; a float64 graph spells it out, as {@link LayerNorm}. */
  static Value normalise(Graph g, Value x, long dim) {
    if (x.dtype() != DType.DOUBLE) {
      double[] ones = new double[(int) dim];
      java.util.Arrays.fill(ones, 1);
      return g.layerNorm(x, g.constant(x.dtype(), Shape.of(dim), ones),
          g.constant(x.dtype(), Shape.of(dim), new double[(int) dim]), -1, EPSILON);
    }
    Value centred = g.sub(x, g.reduceMean(x, true, -1));
    Value variance = g.reduceMean(g.square(centred), true, -1);
    return g.div(centred, g.sqrt(g.add(variance, EPSILON)));
  }

  /** Declares the modulation layer in the current scope. */
  public Declared declare(Graph g) {
    Linear linear = Linear.of(name, cond, chunks * dim);
    if (zero) {
      linear = linear.withInit(Init.zeros()).withBiasInit(Init.zeros());
    }
    return new Declared(linear.declare(g), dim, chunks);
  }
}
