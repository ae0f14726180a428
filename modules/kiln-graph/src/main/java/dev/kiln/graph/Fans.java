package dev.kiln.graph;

/**
 * Fan-in and fan-out of a weight tensor, as initialisers use them.
 *
 * @param in number of inputs feeding one output unit
 * @param out number of outputs one input unit feeds
 */
public record Fans(long in, long out) {

  /**
   * Kiln's convention: a rank-2 weight is {@code [in, out]} (used as {@code x · W}); a rank ≥ 3 weight is
   * an ONNX convolution kernel {@code [out, in/groups, k...]}; a rank-1 weight has fan-in = fan-out = its
   * size.
   */
  public static Fans of(Shape shape) {
    if (!shape.isStatic()) {
      throw new IllegalArgumentException("parameter shape must be static, got " + shape);
    }
    long[] s = shape.sizes();
    return switch (s.length) {
      case 0 -> new Fans(1, 1);
      case 1 -> new Fans(s[0], s[0]);
      case 2 -> new Fans(s[0], s[1]);
      default -> {
        long receptive = 1;
        for (int i = 2; i < s.length; i++) {
          receptive *= s[i];
        }
        yield new Fans(s[1] * receptive, s[0] * receptive);
      }
    };
  }
}
