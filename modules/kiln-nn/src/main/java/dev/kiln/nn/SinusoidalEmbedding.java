package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;

/**
 * Transformer-style features of a scalar per example (diffusion time, positions):
 * {@code [sin(t·f_0) … sin(t·f_{k−1}), cos(t·f_0) … cos(t·f_{k−1})]} with
 * {@code f_i = exp(−ln(maxPeriod)·i/k)}, {@code k = dim/2}; with {@code lastAtMaxPeriod} the
 * frequencies are spread so the last period is exactly {@code maxPeriod},
 * {@code f_i = exp(−ln(maxPeriod)·i/(k−1))} (tensor2tensor's {@code get_timing_signal_1d}).
 *
 * @param dim output width (even)
 * @param maxPeriod longest period
 * @param lastAtMaxPeriod divide by k − 1 instead of k
 */
public record SinusoidalEmbedding(long dim, double maxPeriod, boolean lastAtMaxPeriod) {

  public SinusoidalEmbedding {
    if (dim % 2 != 0) {
      throw new IllegalArgumentException("sinusoidal embedding width must be even, got " + dim);
    }
  }

  public SinusoidalEmbedding(long dim, double maxPeriod) {
    this(dim, maxPeriod, false);
  }

  public static SinusoidalEmbedding of(long dim) {
    return new SinusoidalEmbedding(dim, 10_000);
  }

  /** tensor2tensor's timing signal of width {@code dim}: periods from 2π up to 10⁴. */
  public static SinusoidalEmbedding timingSignal(long dim) {
    return new SinusoidalEmbedding(dim, 10_000, true);
  }

  /** t [N] or [N, 1] (float) → [N, dim]. */
  public Value apply(Graph g, Value t) {
    Value col = t.rank() == 1 ? g.unsqueeze(t, 1) : t;
    int half = (int) (dim / 2);
    double[] freqs = new double[half];
    double spread = lastAtMaxPeriod ? Math.max(half - 1, 1) : half;
    for (int i = 0; i < half; i++) {
      freqs[i] = Math.exp(-Math.log(maxPeriod) * i / spread);
    }
    Value args = g.mul(col, g.constant(t.dtype(), Shape.of(1, half), freqs));
    // cos a = sin(a + π/2): ONNX Runtime has a float64 Sin kernel but no float64 Cos.
    return g.concat(1, g.sin(args), g.sin(g.add(args, Math.PI / 2)));
  }
}
