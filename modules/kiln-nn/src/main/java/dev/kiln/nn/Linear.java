package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * {@code y = x·W + b} over the last axis, with {@code W [in, out]}. Defaults follow PyTorch's
 * {@code nn.Linear}: W and b uniform in ±1/√in.
 *
 * @param name scope of the parameters ({@code <name>.weight}, {@code <name>.bias})
 * @param in input features
 * @param out output features
 * @param bias whether to add a bias
 * @param weightInit initialiser of W
 * @param sigmaReparam σReparam variant, or null for a plain weight
 */
public record Linear(String name, long in, long out, boolean bias, Init weightInit, SigmaReparam.Variant sigmaReparam) {

  /** A linear layer with bias and PyTorch's default initialisation. */
  public static Linear of(String name, long in, long out) {
    return new Linear(name, in, out, true, Init.kaimingUniform(), null);
  }

  public Linear withoutBias() {
    return new Linear(name, in, out, false, weightInit, sigmaReparam);
  }

  public Linear withInit(Init init) {
    return new Linear(name, in, out, bias, init, sigmaReparam);
  }

  /**
   * With σReparam ({@link SigmaReparam}): the weight is used as {@code γ/σ(W)·W} and initialised as
   * the variant prescribes; null turns it off.
   */
  public Linear withSigmaReparam(SigmaReparam.Variant variant) {
    return new Linear(name, in, out, bias, variant == null ? weightInit : variant.weightInit(), variant);
  }

  /** x [..., in] → [..., out]. */
  public Value apply(Graph g, Value x) {
    try (var s = g.scope(name)) {
      Value w = g.parameter("weight", Shape.of(in, out), weightInit);
      if (sigmaReparam != null) {
        w = SigmaReparam.apply(g, w, in, sigmaReparam);
      }
      Value y = g.matMul(x, w);
      if (bias) {
        y = g.add(y, g.parameter("bias", Shape.of(out), new Init.FanInUniform(), new dev.kiln.graph.Fans(in, out)));
      }
      return y;
    }
  }
}
