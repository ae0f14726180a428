package dev.kiln.nn;

import dev.kiln.graph.Fans;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * {@code y = x·W + b} over the last axis, with {@code W [in, out]}. Defaults follow PyTorch's
 * {@code nn.Linear}: W and b uniform in ±1/√in. {@link #declare} declares the parameters once and
 * returns a layer to apply any number of times (a block shared across the steps of a Universal
 * Transformer reads the same weight at every step); {@link #apply} does both for a single use.
 *
 * @param name scope of the parameters ({@code <name>.weight}, {@code <name>.bias})
 * @param in input features
 * @param out output features
 * @param bias whether to add a bias
 * @param weightInit initialiser of W
 * @param biasInit initialiser of b, or null for PyTorch's U(±1/√in)
 * @param sigmaReparam σReparam variant, or null for a plain weight
 */
public record Linear(String name, long in, long out, boolean bias, Init weightInit, Init biasInit,
    SigmaReparam.Variant sigmaReparam) {

  /** A linear layer with bias and PyTorch's default initialisation. */
  public static Linear of(String name, long in, long out) {
    return new Linear(name, in, out, true, Init.kaimingUniform(), null, null);
  }

  public Linear withoutBias() {
    return new Linear(name, in, out, false, weightInit, biasInit, sigmaReparam);
  }

  public Linear withInit(Init init) {
    return new Linear(name, in, out, bias, init, biasInit, sigmaReparam);
  }

  /** With the bias initialised by {@code init} (a halting unit's constant bias, say). */
  public Linear withBiasInit(Init init) {
    return new Linear(name, in, out, bias, weightInit, init, sigmaReparam);
  }

  /**
   * With σReparam ({@link SigmaReparam}): the weight is used as {@code γ/σ(W)·W} and initialised as
   * the variant prescribes; null turns it off.
   */
  public Linear withSigmaReparam(SigmaReparam.Variant variant) {
    return new Linear(name, in, out, bias, variant == null ? weightInit : variant.weightInit(), biasInit, variant);
  }

  /**
   * The declared layer.
   *
   * @param name the scope its ops are added in
   * @param weight W as used, {@code [in, out]}: the parameter, or Ŵ = γ/σ(W)·W under σReparam
   *     (computed once, however often the layer is applied)
   * @param bias b {@code [out]}, or null
   */
  public record Declared(String name, Value weight, Value bias) {

    /** x [..., in] → [..., out]. */
    public Value apply(Graph g, Value x) {
      try (var s = g.scope(name)) {
        Value y = g.matMul(x, weight);
        return bias == null ? y : g.add(y, bias);
      }
    }
  }

  /** Declares {@code <name>.weight} and {@code <name>.bias} (with σReparam also γ and u) in the current scope. */
  public Declared declare(Graph g) {
    try (var s = g.scope(name)) {
      Value w = g.parameter("weight", Shape.of(in, out), weightInit);
      if (sigmaReparam != null) {
        w = SigmaReparam.apply(g, w, in, sigmaReparam);
      }
      Value b = bias ? g.parameter("bias", Shape.of(out), biasInit == null ? new Init.FanInUniform() : biasInit,
          new Fans(in, out)) : null;
      return new Declared(name, w, b);
    }
  }

  /** x [..., in] → [..., out], declaring the parameters (once: a second call with the same name fails). */
  public Value apply(Graph g, Value x) {
    return declare(g).apply(g, x);
  }
}
