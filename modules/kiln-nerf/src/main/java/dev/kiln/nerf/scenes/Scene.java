package dev.kiln.nerf.scenes;

import java.util.List;

/**
 * Primitives lit by one fixed world-space directional light plus ambient light, Lambert shading
 * {@code albedo·(ambient + (1 − ambient)·max(0, n·l))}. The shading is view-independent, so a
 * radiance field without view directions can reproduce it exactly.
 *
 * @param category what kind of object this is
 * @param primitives the solids
 */
public record Scene(Category category, List<Primitive> primitives) {

  /** Fraction of light that is ambient. */
  public static final double AMBIENT = 0.3;

  private static final double[] LIGHT = normalize(0.5, 0.3, 0.8);

  public Scene {
    primitives = List.copyOf(primitives);
  }

  /**
   * The nearest hit of ray {@code o + t·d}: writes the shaded colour into {@code rgb} and returns
   * the hit distance and the primitive's index, or distance ∞ and index −1 on a miss.
   */
  public Hit trace(double[] o, double[] d, double[] rgb) {
    double best = Double.POSITIVE_INFINITY;
    int id = -1;
    double[] n = new double[3];
    double[] bestN = new double[3];
    for (int i = 0; i < primitives.size(); i++) {
      double t = primitives.get(i).intersect(o, d, n);
      if (t < best) {
        best = t;
        id = i;
        System.arraycopy(n, 0, bestN, 0, 3);
      }
    }
    if (id >= 0) {
      double lambert = Math.max(0, bestN[0] * LIGHT[0] + bestN[1] * LIGHT[1] + bestN[2] * LIGHT[2]);
      double shade = AMBIENT + (1 - AMBIENT) * lambert;
      double[] albedo = primitives.get(id).albedo();
      for (int c = 0; c < 3; c++) {
        rgb[c] = albedo[c] * shade;
      }
    }
    return new Hit(best, id);
  }

  /**
   * @param distance distance along the ray, ∞ on a miss
   * @param primitive index of the primitive hit, −1 on a miss
   */
  public record Hit(double distance, int primitive) {}

  private static double[] normalize(double x, double y, double z) {
    double n = Math.sqrt(x * x + y * y + z * z);
    return new double[] {x / n, y / n, z / n};
  }
}
