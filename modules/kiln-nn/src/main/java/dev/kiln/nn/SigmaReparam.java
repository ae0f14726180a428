package dev.kiln.nn;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * σReparam (Zhai et al., ICML 2023, arXiv 2303.06296): a weight matrix used as
 * {@code Ŵ = (γ / σ(W))·W}, where σ(W) is its spectral norm estimated by one power-iteration step per
 * training step and γ is a learned scalar. With {@code W} seen as a matrix {@code M [rows, cols]}:
 * <pre>
 *   v = normalize(M u)          (stop-gradient)
 *   u' = normalize(Mᵀ v)        (stop-gradient; written back into the buffer u after the step)
 *   σ = vᵀ M u'                 (differentiable in M, so gradients also flow through σ)
 * </pre>
 * u starts as the top right-singular vector of the initial M. Exported models fold Ŵ into a plain
 * constant. Report: {@code docs/reproductions/sigma-reparam.md}.
 */
public final class SigmaReparam {

  /** How γ and W start, after the two official implementations. */
  public enum Variant {
    /** Vision (PyTorch): W ~ trunc_normal_(std=0.02), bounds ±2 absolute, γ₀ = σ(W₀), so Ŵ₀ = W₀. */
    VISION,
    /** Speech (JAX): W ~ N(0, 0.1), γ₀ = 1, so ‖Ŵ₀‖₂ = 1. */
    SPEECH;

    /** The weight initialiser this variant uses. */
    public Init weightInit() {
      return this == VISION ? Init.torchTruncatedNormal(0.02) : Init.normal(0.1);
    }
  }

  /*
   * u₀ must be the top singular vector, not an approximation of it: σ's gradient treats u and v as
   * constants, which is exact only at a fixed point of the power iteration. Close top singular values
   * (a random 256×64 matrix's two largest differ by a few per cent) need thousands of iterations.
   */
  private static final int MAX_INIT_ITERATIONS = 20_000;
  private static final double INIT_TOLERANCE = 1e-13;

  private SigmaReparam() {}

  /**
   * Reparametrises {@code weight} (a parameter) inside the current scope, declaring {@code gamma} and
   * the buffer {@code u}; returns Ŵ with the weight's shape.
   *
   * @param rows how many rows M has: the weight is viewed as {@code [rows, size/rows]}
   */
  public static Value apply(Graph g, Value weight, long rows, Variant variant) {
    long cols = weight.shape().size() / rows;
    Value u = g.buffer("sigma_u", Shape.of(cols), Init.normal(1.0));
    Value gamma = g.parameter("gamma", Shape.scalar(), Init.ones());
    Value m = weight.rank() == 2 && weight.shape().dim(0).is(rows) ? weight : g.reshape(weight, rows, cols);
    Value fixed = g.stopGradient(m);
    Value v = normalize(g, g.matMul(fixed, u));
    // vᵀM rather than Transpose(M)·v: ONNX Runtime 1.23's extended optimisations fuse Transpose+MatMul
    // with a 1-D operand into a FusedMatMul that returns wrong values.
    Value next = normalize(g, g.matMul(v, fixed));
    g.updateBuffer(u, next);
    Value sigma = g.sumAll(g.mul(g.matMul(m, g.stopGradient(next)), g.stopGradient(v)));
    Value scaled = g.mul(weight, g.div(gamma, sigma));
    String w = weight.name();
    String un = u.name();
    String gn = gamma.name();
    g.afterInit(values -> initialise(values, w, un, gn, (int) rows, (int) cols, variant));
    return scaled;
  }

  private static Value normalize(Graph g, Value x) {
    return g.div(x, g.add(g.sqrt(g.sumAll(g.square(x))), 1e-12));
  }

  /** u₀ = top right-singular vector of M₀ by power iteration; γ₀ by variant. */
  private static void initialise(Map<String, double[]> values, String weight, String u, String gamma, int rows,
      int cols, Variant variant) {
    double[] m = values.get(weight);
    double[] vec = new double[cols];
    SplittableRandom rng = new SplittableRandom(weight.hashCode());
    for (int i = 0; i < cols; i++) {
      vec[i] = rng.nextGaussian();
    }
    double sigma = 0;
    double change = Double.POSITIVE_INFINITY;
    for (int it = 0; it < MAX_INIT_ITERATIONS && change > INIT_TOLERANCE; it++) {
      double[] left = new double[rows];
      for (int r = 0; r < rows; r++) {
        double s = 0;
        for (int c = 0; c < cols; c++) {
          s += m[r * cols + c] * vec[c];
        }
        left[r] = s;
      }
      normalizeInPlace(left);
      double[] right = new double[cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          right[c] += m[r * cols + c] * left[r];
        }
      }
      sigma = normalizeInPlace(right);
      change = 0;
      for (int c = 0; c < cols; c++) {
        change = Math.max(change, Math.abs(right[c] - vec[c]));
      }
      vec = right;
    }
    values.put(u, vec);
    values.put(gamma, new double[] {variant == Variant.VISION ? sigma : 1.0});
  }

  private static double normalizeInPlace(double[] x) {
    double n = 0;
    for (double v : x) {
      n += v * v;
    }
    n = Math.sqrt(n);
    for (int i = 0; i < x.length; i++) {
      x[i] /= n + 1e-12;
    }
    return n;
  }
}
