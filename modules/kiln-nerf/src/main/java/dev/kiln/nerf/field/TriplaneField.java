package dev.kiln.nerf.field;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Linear;
import java.util.List;
import java.util.Locale;

/**
 * A triplane radiance field, as SSDNeRF's scene representation (arXiv 2304.06714, §3.1): a scene
 * is three axis-aligned feature planes over [−1, 1]³, the (x, y), (x, z) and (y, z) planes with C
 * channels each, stored as one code {@code x [B, 3C, S, S]} (the layout the diffusion prior sees).
 * A point's feature is the bilinear lookup of its projection in each plane (GridSample,
 * {@code align_corners=0}, border padding, like {@code F.grid_sample}; differentiated by Kiln's
 * GridSample rule), concatenated ({@code 3C} features) or summed ({@code C}) over the planes; a small
 * shared MLP decodes it:
 *
 * <pre>
 *   h = SiLU(W₁ f + b₁),   σ = exp(clip(w_σ·h + b_σ, −15, 15)),   c = sigmoid(W_c h + b_c)·(1 + 2·10⁻³) − 10⁻³
 * </pre>
 *
 * (the clip stands in for SSDNeRF's truncated-exponential gradient; the colour range lets sigmoid
 * reach exactly 0 and 1).
 *
 * @param config sizes
 */
public record TriplaneField(Config config) {

  /**
   * @param channels feature channels per plane C
   * @param resolution plane side S
   * @param hidden width of the decoder's hidden layer
   * @param aggregation how plane features combine: {@code concat} or {@code sum}
   */
  public record Config(Integer channels, Integer resolution, Integer hidden, String aggregation) {
    public Config {
      channels = channels == null ? 4 : channels;
      resolution = resolution == null ? 16 : resolution;
      hidden = hidden == null ? 32 : hidden;
      aggregation = aggregation == null ? "concat" : aggregation.toLowerCase(Locale.ROOT);
      if (channels < 1) {
        throw new IllegalArgumentException("triplane: channels must be positive, got " + channels);
      }
      if (resolution < 2) {
        throw new IllegalArgumentException("triplane: resolution must be at least 2, got " + resolution);
      }
      if (hidden < 1) {
        throw new IllegalArgumentException("triplane: hidden must be positive, got " + hidden);
      }
      if (!List.of("concat", "sum").contains(aggregation)) {
        throw new IllegalArgumentException("triplane: aggregation must be concat or sum, got `" + aggregation + "`");
      }
    }

    /** C = 4, S = 16, hidden 32, concatenated features (the CPU-scale SSD-tiny field). */
    public static Config defaults() {
      return new Config(null, null, null, null);
    }

    /** Channels of the stacked code, 3C. */
    public int codeChannels() {
      return 3 * channels;
    }

    /** Values in one scene's code, 3C·S². */
    public int codeSize() {
      return codeChannels() * resolution * resolution;
    }

    /** Features the decoder reads: 3C concatenated, C summed. */
    public int features() {
      return aggregation.equals("concat") ? 3 * channels : channels;
    }
  }

  /**
   * The field at some points.
   *
   * @param density σ [B, P]
   * @param color RGB in [0, 1] [B, P, 3]
   */
  public record Samples(Value density, Value color) {}

  /** Which world axes span each plane: (x, y), (x, z), (y, z). */
  private static final long[] PLANE_AXES = {0, 1, 0, 2, 1, 2};

  /**
   * The field of codes {@code x [B, 3C, S, S]} at {@code points [B, P, 3]} (inside [−1, 1]³).
   * Decoder parameters live under the scope {@code decoder}.
   */
  public Samples build(Graph g, Value x, Value points) {
    return decode(g, features(g, x, points));
  }

  /** Plane features at {@code points}: [B, P, 3C] concatenated or [B, P, C] summed. */
  public Value features(Graph g, Value x, Value points) {
    long c = config.channels();
    long s = config.resolution();
    long p = requireStatic(points, 1);
    try (var scope = g.scope("triplane")) {
      Value planes = g.reshape(x, -1, c, s, s);
      Value axes = g.constant(DType.INT64, Shape.of(3, 2), toDoubles(PLANE_AXES));
      Value grid = g.reshape(g.transpose(g.gather(points, axes, 2), 0, 2, 1, 3), -1, 1, p, 2);
      Value sampled = g.gridSample(planes, grid, "bilinear", "border", false);
      Value perPlane = g.reshape(sampled, -1, 3, c, p);
      if (config.aggregation().equals("sum")) {
        return g.transpose(g.reduceSum(perPlane, false, 1), 0, 2, 1);
      }
      return g.reshape(g.transpose(perPlane, 0, 3, 1, 2), 0, 0, 3 * c);
    }
  }

  /** The shared decoder: features [B, P, F] → density and colour. */
  public Samples decode(Graph g, Value features) {
    long b = requireStatic(features, 0);
    long p = requireStatic(features, 1);
    try (var scope = g.scope("decoder")) {
      Value flat = g.reshape(features, b * p, config.features());
      Value h = g.silu(Linear.of("hidden", config.features(), config.hidden()).apply(g, flat));
      Value logDensity = g.reshape(Linear.of("density", config.hidden(), 1).apply(g, h), b, p);
      Value density = g.exp(g.clip(logDensity, -15, 15));
      Value color = g.sigmoid(Linear.of("color", config.hidden(), 3).apply(g, h));
      color = g.reshape(g.sub(g.mul(color, 1 + 2e-3), 1e-3), b, p, 3);
      return new Samples(density, color);
    }
  }

  /**
   * The field network alone, for export and host-side rendering: inputs {@code code [B, 3C, S, S]}
   * and {@code points [B, P, 3]}, outputs {@code density [B, P]} and {@code color [B, P, 3]}.
   */
  public Graph network(long batch, long points) {
    Graph g = new Graph("triplane_field");
    Value code = g.input("code", Shape.of(batch, config.codeChannels(), config.resolution(), config.resolution()));
    Value pts = g.input("points", Shape.of(batch, points, 3));
    Samples out = build(g, code, pts);
    g.output("density", out.density());
    g.output("color", out.color());
    return g;
  }

  private static long requireStatic(Value v, int axis) {
    if (!v.shape().dim(axis).isStatic()) {
      throw new IllegalArgumentException("axis " + axis + " of " + v.name() + " must be static, got " + v.shape());
    }
    return v.shape().dim(axis).size();
  }

  private static double[] toDoubles(long[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
