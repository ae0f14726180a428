package dev.kiln.nerf.render;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Renderer;

/**
 * Emission–absorption volume rendering by the NeRF quadrature (as nerfstudio's {@code RGBRenderer},
 * {@code AccumulationRenderer} and {@code DepthRenderer}):
 *
 * <pre>
 *   s_i = σ_i δ_i,   α_i = 1 − exp(−s_i),   T_i = exp(−Σ_{j&lt;i} s_j)   (exclusive cumulative sum)
 *   w_i = T_i α_i,   A = Σ w_i,   C = Σ w_i c_i + bg·(1 − A),   depth = Σ w_i t_i / (A + ε)
 * </pre>
 *
 * The graph face builds exactly these operators (CumSum with {@code exclusive=1}), so Kiln's
 * autodiff differentiates them; the host face evaluates the same sums in double precision.
 *
 * @param config settings
 */
public record VolumeRenderer(Config config) implements Renderer {

  /**
   * @param depthEpsilon ε in the expected-depth denominator
   */
  public record Config(Double depthEpsilon) {
    public Config {
      depthEpsilon = depthEpsilon == null ? 1e-10 : depthEpsilon;
      if (!(depthEpsilon > 0)) {
        throw new IllegalArgumentException("volume renderer: depth_epsilon must be positive, got " + depthEpsilon);
      }
    }

    /** The defaults. */
    public static Config defaults() {
      return new Config(null);
    }
  }

  /** A renderer with the default settings. */
  public static VolumeRenderer standard() {
    return new VolumeRenderer(Config.defaults());
  }

  @Override
  public GraphRays build(Graph g, Value density, Value color, Value t, Value delta, double[] background) {
    requireBackground(background);
    try (var s = g.scope("volume")) {
      Value optical = g.mul(density, delta);
      Value alpha = g.sub(1.0, g.exp(g.neg(optical)));
      Value transmittance = g.exp(g.neg(g.cumSum(optical, 1, true, false)));
      Value weights = g.mul(transmittance, alpha);
      Value opacity = g.reduceSum(weights, false, 1);
      Value rgb = g.reduceSum(g.mul(g.unsqueeze(weights, 2), color), false, 1);
      Value bg = g.constant(density.dtype(), Shape.of(1, 3), background);
      rgb = g.add(rgb, g.mul(g.unsqueeze(g.sub(1.0, opacity), 1), bg));
      Value depth = g.div(g.reduceSum(g.mul(weights, t), false, 1), g.add(opacity, config.depthEpsilon()));
      return new GraphRays(rgb, depth, opacity, weights);
    }
  }

  @Override
  public HostRays render(Tensor density, Tensor color, Tensor t, Tensor delta, double[] background) {
    requireBackground(background);
    if (density.rank() != 2) {
      throw new IllegalArgumentException("density must be [R, S], got " + density);
    }
    int r = (int) density.dim(0);
    int s = (int) density.dim(1);
    if (color.size() != 3 * r * s || t.size() != r * s || delta.size() != r * s) {
      throw new IllegalArgumentException("color [R, S, 3], t and delta [R, S] must match density " + density
          + "; got " + color + ", " + t + ", " + delta);
    }
    DType type = density.dtype();
    Tensor rgb = Tensor.zeros(type, r, 3);
    Tensor depth = Tensor.zeros(type, r);
    Tensor opacity = Tensor.zeros(type, r);
    Tensor weights = Tensor.zeros(type, r, s);
    for (int i = 0; i < r; i++) {
      double before = 0;
      double a = 0;
      double d = 0;
      double[] c = new double[3];
      for (int k = 0; k < s; k++) {
        int idx = i * s + k;
        double optical = density.get(idx) * delta.get(idx);
        double w = Math.exp(-before) * (1 - Math.exp(-optical));
        before += optical;
        weights.set(idx, w);
        a += w;
        d += w * t.get(idx);
        for (int ch = 0; ch < 3; ch++) {
          c[ch] += w * color.get(3 * idx + ch);
        }
      }
      opacity.set(i, a);
      depth.set(i, d / (a + config.depthEpsilon()));
      for (int ch = 0; ch < 3; ch++) {
        rgb.set(3 * i + ch, c[ch] + background[ch] * (1 - a));
      }
    }
    return new HostRays(rgb, depth, opacity, weights);
  }

  private static void requireBackground(double[] background) {
    if (background == null || background.length != 3) {
      throw new IllegalArgumentException("background must be 3 values (r, g, b)");
    }
  }
}
