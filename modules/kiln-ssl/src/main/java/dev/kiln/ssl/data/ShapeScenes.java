package dev.kiln.ssl.data;

import dev.kiln.runtime.Seeds;
import dev.kiln.ssl.augment.Hues;
import dev.kiln.ssl.augment.Picture;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Coloured 2-D shapes on black with five independent, uniformly drawn factors: shape (triangle, T, L,
 * half-disc: none of them unchanged by a quarter turn), hue (6 hues of the colour circle), position (3×3
 * grid), orientation (quarter turns) and size (2). Each task then needs different invariances: shape
 * wants invariance to every augmentation, hue is erased by colour jitter, position by crops and flips,
 * orientation by flips and rotations, size by crops. Shapes are drawn with 4×4 supersampling.
 */
public final class ShapeScenes {

  /** The factors, in label order. */
  public static final List<Factor> FACTORS = List.of(new Factor("shape", 4), new Factor("hue", 6),
      new Factor("position", 9), new Factor("orientation", 4), new Factor("size", 2));

  private static final int SUPERSAMPLE = 4;

  private ShapeScenes() {}

  /**
   * {@code count} pictures of {@code side × side} pixels drawn by {@code seed}; the first 80 % train.
   */
  public static FactorImages generate(int count, int side, long seed) {
    if (side < 12) {
      throw new IllegalArgumentException("shape pictures need side ≥ 12 pixels to keep shapes legible, got " + side);
    }
    Picture[] pictures = new Picture[count];
    int[][] labels = new int[FACTORS.size()][count];
    for (int i = 0; i < count; i++) {
      SplittableRandom rng = Seeds.rng(seed, "shape-scene", i);
      int[] f = new int[FACTORS.size()];
      for (int k = 0; k < f.length; k++) {
        f[k] = rng.nextInt(FACTORS.get(k).classes());
        labels[k][i] = f[k];
      }
      pictures[i] = render(side, f[0], f[1], f[2], f[3], f[4], rng);
    }
    return new FactorImages("shapes", FACTORS, pictures, labels, count * 4 / 5);
  }

  /** One picture; {@code rng} jitters the centre by up to half a pixel and the value slightly. */
  static Picture render(int side, int shape, int hue, int position, int orientation, int size, SplittableRandom rng) {
    double cell = side / 3.0;
    double cx = cell * (position % 3 + 0.5) + (rng.nextDouble() - 0.5);
    double cy = cell * (position / 3 + 0.5) + (rng.nextDouble() - 0.5);
    double radius = side * (size == 0 ? 0.11 : 0.16);
    double[] rgb = Hues.rgb(hue / 6.0 + 0.02 * (rng.nextDouble() - 0.5), 1, 0.85 + 0.15 * rng.nextDouble());
    int area = side * side;
    float[] p = new float[3 * area];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int hits = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
          for (int sx = 0; sx < SUPERSAMPLE; sx++) {
            double u = (x + (sx + 0.5) / SUPERSAMPLE - cx) / radius;
            double v = (y + (sy + 0.5) / SUPERSAMPLE - cy) / radius;
            // Undo the quarter turns so the shape is tested in its upright frame.
            for (int t = 0; t < orientation; t++) {
              double nu = -v;
              v = u;
              u = nu;
            }
            if (inside(shape, u, v)) {
              hits++;
            }
          }
        }
        double cover = hits / (double) (SUPERSAMPLE * SUPERSAMPLE);
        for (int c = 0; c < 3; c++) {
          p[c * area + y * side + x] = (float) (cover * rgb[c]);
        }
      }
    }
    return new Picture(3, side, side, p);
  }

  /** Whether (u, v), in radii with v pointing down, is inside the upright shape. */
  static boolean inside(int shape, double u, double v) {
    return switch (shape) {
      case 0 -> v <= 0.8 && v >= -1 && Math.abs(u) <= 0.95 * (v + 1) / 1.8;
      case 1 -> (Math.abs(u) <= 0.95 && v >= -0.95 && v <= -0.35) || (Math.abs(u) <= 0.3 && v >= -0.95 && v <= 0.95);
      case 2 -> (u >= -0.9 && u <= -0.3 && Math.abs(v) <= 0.95) || (u >= -0.9 && u <= 0.8 && v >= 0.35 && v <= 0.95);
      case 3 -> u * u + v * v <= 1 && v <= 0.15;
      default -> throw new IllegalArgumentException("no shape " + shape);
    };
  }
}
