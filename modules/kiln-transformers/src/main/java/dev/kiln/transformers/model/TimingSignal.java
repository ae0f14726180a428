package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.SinusoidalEmbedding;

/**
 * The Universal Transformer's timing signals (Dehghani et al. 2018, arXiv 1807.03819; tensor2tensor's
 * {@code add_timing_signal_1d} and {@code add_step_timing_signal} with {@code "sinusoid"}), re-added to
 * the state before every step:
 * <pre>
 *   x_s[t] = h[t] + P[t] + S[s]          P[t] = TS(t), S[s] = TS(s − 1), t = 0 … T−1 (CLS is t = 0)
 *   TS(a)[i]     = sin(a·f_i),  TS(a)[k + i] = cos(a·f_i),  f_i = 10⁴^(−i/(k−1)),  k = dim/2
 * </pre>
 * Sinusoids rather than a learned step table so that a model can run more steps at test time than it
 * was trained with: S is defined for every step.
 *
 * @param tokens T, tokens per example including CLS
 * @param dim model width (even)
 */
public record TimingSignal(long tokens, long dim) {

  public TimingSignal {
    if (dim % 2 != 0) {
      throw new IllegalArgumentException("timing signals need an even model width, got `dim` " + dim);
    }
  }

  /** The position signal P {@code [T, dim]} in the graph's float type (build it once, add it at every step). */
  public Value position(Graph g) {
    double[] t = new double[(int) tokens];
    for (int i = 0; i < t.length; i++) {
      t[i] = i;
    }
    return SinusoidalEmbedding.timingSignal(dim).apply(g, g.constant(g.floatType(), Shape.of(tokens), t));
  }

  /**
   * {@code h [N, T, dim] + position [T, dim] + S[step]}, with {@code step [1]} the 0-based step index
   * as a float of {@code h}'s type (a constant in the unrolled graph, an input of a served step).
   */
  public Value add(Graph g, Value h, Value position, Value step) {
    return g.add(g.add(h, position), SinusoidalEmbedding.timingSignal(dim).apply(g, step));    // [1, dim] broadcast
  }

  /** The 0-based index of step {@code s} (1-based) as a constant {@code [1]} of {@code like}'s type. */
  public static Value stepIndex(Graph g, Value like, int s) {
    return g.constant(like.dtype(), Shape.of(1), s - 1);
  }
}
