package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.NnOps.ConvOptions;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * 2-D convolution {@code [N, in, H, W] → [N, out, H', W']} with a square kernel; PyTorch's default
 * initialisation.
 *
 * @param name scope of {@code <name>.weight [out, in, k, k]} and {@code <name>.bias [out]}
 * @param in input channels
 * @param out output channels
 * @param kernel kernel size
 * @param stride stride
 * @param padding symmetric zero padding
 * @param weightInit initialiser of the kernel
 * @param sigmaReparam σReparam variant, or null for a plain kernel
 */
public record Conv2d(String name, long in, long out, long kernel, long stride, long padding, Init weightInit,
    SigmaReparam.Variant sigmaReparam) {

  /** A "same" convolution (stride 1, padding k/2). */
  public static Conv2d same(String name, long in, long out, long kernel) {
    return new Conv2d(name, in, out, kernel, 1, kernel / 2, Init.kaimingUniform(), null);
  }

  public static Conv2d of(String name, long in, long out, long kernel, long stride, long padding) {
    return new Conv2d(name, in, out, kernel, stride, padding, Init.kaimingUniform(), null);
  }

  public Conv2d withInit(Init init) {
    return new Conv2d(name, in, out, kernel, stride, padding, init, sigmaReparam);
  }

  /** With σReparam on the kernel viewed as {@code [out, in·k·k]}; null turns it off. */
  public Conv2d withSigmaReparam(SigmaReparam.Variant variant) {
    return new Conv2d(name, in, out, kernel, stride, padding, variant == null ? weightInit : variant.weightInit(),
        variant);
  }

  public Value apply(Graph g, Value x) {
    try (var s = g.scope(name)) {
      Value w = g.parameter("weight", Shape.of(out, in, kernel, kernel), weightInit);
      if (sigmaReparam != null) {
        w = SigmaReparam.apply(g, w, out, sigmaReparam);
      }
      Value b = g.parameter("bias", Shape.of(out), new Init.FanInUniform(),
          new dev.kiln.graph.Fans(in * kernel * kernel, out));
      return g.conv(x, w, b, ConvOptions.of(2, stride, padding));
    }
  }
}
