package dev.kiln.nerf.control3diff;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.kiln.graph.Graph;
import dev.kiln.graph.NnOps.ConvOptions;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nerf.render.ImageQuality;
import java.util.Arrays;
import java.util.Locale;

/**
 * A control signal c = f(I) of a rendered image I [3, H, W] in [0, 1]. Each has a host form (what a
 * user hands in and what the conditional model is trained on), a differentiable graph form whose
 * loss against c guides sampling through the renderer, and a fidelity score of a rendering against c:
 *
 * <ul>
 *   <li>{@code image}: c = I; loss = mean (I − c)²; fidelity PSNR (and SSIM).</li>
 *   <li>{@code edges}: c = [|∇L| &gt; τ], the Sobel magnitude of the luminance L = 0.299R + 0.587G +
 *       0.114B (zero padding of L − 1, so the white background has no border edges), τ = 0.8; the graph
 *       form is sigmoid((|∇L| − τ)/0.1); loss = mean squared error; fidelity IoU of edge pixels.</li>
 *   <li>{@code segmentation}: c = one-hot of the nearest of four luminance levels (0.15, 0.4, 0.65,
 *       0.95; the last is the white background); the graph form is softmax(−(L − ℓ_k)²/0.01); loss =
 *       cross-entropy; fidelity pixel accuracy.</li>
 * </ul>
 */
public enum ControlSignal {
  IMAGE("image", 3),
  EDGES("edges", 1),
  SEGMENTATION("segmentation", 4);

  /** Edge threshold on the Sobel magnitude. */
  public static final double EDGE_THRESHOLD = 0.8;
  /** Luminance level of each segmentation class. */
  static final double[] LEVELS = {0.15, 0.40, 0.65, 0.95};
  private static final double EDGE_SOFTNESS = 0.1;
  private static final double LEVEL_TEMPERATURE = 0.01;
  private static final double[] SOBEL_X = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
  private static final double[] SOBEL_Y = {-1, -2, -1, 0, 0, 0, 1, 2, 1};

  private final String id;
  private final int channels;

  ControlSignal(String id, int channels) {
    this.id = id;
    this.channels = channels;
  }

  @JsonValue
  public String id() {
    return id;
  }

  /** Channels of c. */
  public int channels() {
    return channels;
  }

  /** Parses {@code image}, {@code edges} or {@code segmentation}. */
  @JsonCreator
  public static ControlSignal parse(String s) {
    String k = s == null ? "" : s.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(v -> v.id.equals(k)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("control must be image, edges or segmentation, got `" + s + "`"));
  }

  /** c = f(I) of an image {@code rgb [3, side, side]}: {@code [channels, side, side]}. */
  public float[] of(float[] rgb, int side) {
    int n = side * side;
    if (rgb.length != 3 * n) {
      throw new IllegalArgumentException("image must hold 3·" + side + "² values, got " + rgb.length);
    }
    return switch (this) {
      case IMAGE -> rgb.clone();
      case EDGES -> {
        double[] mag = sobelMagnitude(luminance(rgb, n), side);
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
          c[i] = mag[i] > EDGE_THRESHOLD ? 1 : 0;
        }
        yield c;
      }
      case SEGMENTATION -> {
        double[] lum = luminance(rgb, n);
        float[] c = new float[LEVELS.length * n];
        for (int i = 0; i < n; i++) {
          c[nearestLevel(lum[i]) * n + i] = 1;
        }
        yield c;
      }
    };
  }

  /**
   * How well a rendering {@code rgb [3, side, side]} keeps control {@code c}: PSNR in dB for images,
   * IoU of edge pixels for edges (1 when both have none), pixel accuracy for segmentation.
   */
  public double fidelity(float[] rgb, float[] c, int side) {
    float[] mine = of(rgb, side);
    return switch (this) {
      case IMAGE -> ImageQuality.psnr(rgb, c);
      case EDGES -> {
        int both = 0;
        int either = 0;
        for (int i = 0; i < mine.length; i++) {
          both += mine[i] > 0.5 && c[i] > 0.5 ? 1 : 0;
          either += mine[i] > 0.5 || c[i] > 0.5 ? 1 : 0;
        }
        yield either == 0 ? 1.0 : (double) both / either;
      }
      case SEGMENTATION -> {
        int n = side * side;
        int same = 0;
        for (int i = 0; i < n; i++) {
          same += argmax(mine, i, n) == argmax(c, i, n) ? 1 : 0;
        }
        yield (double) same / n;
      }
    };
  }

  /**
   * The differentiable form of f on images {@code [B, 3, H, W]}: {@code [B, channels, H, W]}
   * (identity, soft edges, soft level assignment).
   */
  public Value soft(Graph g, Value image) {
    return switch (this) {
      case IMAGE -> image;
      case EDGES -> g.sigmoid(g.div(g.sub(sobelMagnitude(g, luminance(g, image)), EDGE_THRESHOLD), EDGE_SOFTNESS));
      case SEGMENTATION -> g.softmax(levelLogits(g, luminance(g, image)), 1);
    };
  }

  /**
   * Σ over the batch of each sample's mean loss of rendering {@code image [B, 3, H, W]} against
   * control {@code target [B, channels, H, W]}, so each sample's gradient is its own.
   */
  public Value loss(Graph g, Value image, Value target) {
    long b = image.shape().dim(0).size();
    Value perElement = switch (this) {
      case IMAGE, EDGES -> g.square(g.sub(soft(g, image), target));
      case SEGMENTATION -> g.neg(g.reduceSum(g.mul(target, g.logSoftmax(levelLogits(g, luminance(g, image)), 1)),
          true, 1));
    };
    return g.mul(g.meanAll(perElement), (double) b);
  }

  private static Value luminance(Graph g, Value image) {
    Value weights = g.constant(image.dtype(), Shape.of(1, 3, 1, 1), 0.299, 0.587, 0.114);
    return g.reduceSum(g.mul(image, weights), true, 1);
  }

  private static Value sobelMagnitude(Graph g, Value lum) {
    double[] k = new double[18];
    System.arraycopy(SOBEL_X, 0, k, 0, 9);
    System.arraycopy(SOBEL_Y, 0, k, 9, 9);
    Value kernel = g.constant(lum.dtype(), Shape.of(2, 1, 3, 3), k);
    Value grad = g.conv(g.sub(lum, 1.0), kernel, null, ConvOptions.of(2, 1, 1));
    return g.sqrt(g.add(g.reduceSum(g.square(grad), true, 1), 1e-6));
  }

  private static Value levelLogits(Graph g, Value lum) {
    Value levels = g.constant(lum.dtype(), Shape.of(1, LEVELS.length, 1, 1), LEVELS);
    return g.div(g.neg(g.square(g.sub(lum, levels))), LEVEL_TEMPERATURE);
  }

  private static double[] luminance(float[] rgb, int n) {
    double[] l = new double[n];
    for (int i = 0; i < n; i++) {
      l[i] = 0.299 * rgb[i] + 0.587 * rgb[n + i] + 0.114 * rgb[2 * n + i];
    }
    return l;
  }

  private static double[] sobelMagnitude(double[] lum, int side) {
    double[] mag = new double[lum.length];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        double gx = 0;
        double gy = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int yy = y + dy;
            int xx = x + dx;
            double v = yy < 0 || yy >= side || xx < 0 || xx >= side ? 0 : lum[yy * side + xx] - 1;
            int k = (dy + 1) * 3 + dx + 1;
            gx += SOBEL_X[k] * v;
            gy += SOBEL_Y[k] * v;
          }
        }
        mag[y * side + x] = Math.sqrt(gx * gx + gy * gy + 1e-6);
      }
    }
    return mag;
  }

  private static int nearestLevel(double lum) {
    int best = 0;
    for (int k = 1; k < LEVELS.length; k++) {
      if (Math.abs(lum - LEVELS[k]) < Math.abs(lum - LEVELS[best])) {
        best = k;
      }
    }
    return best;
  }

  private static int argmax(float[] c, int pixel, int n) {
    int best = 0;
    for (int k = 1; k < c.length / n; k++) {
      if (c[k * n + pixel] > c[best * n + pixel]) {
        best = k;
      }
    }
    return best;
  }
}
