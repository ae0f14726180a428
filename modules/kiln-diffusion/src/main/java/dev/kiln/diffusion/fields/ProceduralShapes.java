package dev.kiln.diffusion.fields;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Occupancy of procedural 3-D shapes in [−1, 1]³: one to three spheres, boxes turned about z and
 * axis-aligned capped cylinders, with the sizes and placement of kiln-nerf's {@code shapes} scenes
 * ({@code SceneGenerator}: size 0.2–0.4, centres inside ±(0.8 − size)). kiln-nerf depends on this
 * module, so the solids are restated here as inside tests rather than ray intersections.
 */
public final class ProceduralShapes {

  private ProceduralShapes() {}

  /** A solid: whether a point is inside. */
  public sealed interface Solid {
    boolean contains(double x, double y, double z);
  }

  record Ball(double cx, double cy, double cz, double r) implements Solid {
    @Override
    public boolean contains(double x, double y, double z) {
      double dx = x - cx;
      double dy = y - cy;
      double dz = z - cz;
      return dx * dx + dy * dy + dz * dz <= r * r;
    }
  }

  record Box(double cx, double cy, double cz, double hx, double hy, double hz, double yaw) implements Solid {
    @Override
    public boolean contains(double x, double y, double z) {
      double c = Math.cos(yaw);
      double s = Math.sin(yaw);
      double lx = c * (x - cx) + s * (y - cy);
      double ly = -s * (x - cx) + c * (y - cy);
      return Math.abs(lx) <= hx && Math.abs(ly) <= hy && Math.abs(z - cz) <= hz;
    }
  }

  record Cylinder(double[] centre, double r, double halfHeight, int axis) implements Solid {
    @Override
    public boolean contains(double x, double y, double z) {
      double[] p = {x - centre[0], y - centre[1], z - centre[2]};
      double a = p[axis];
      double u = p[(axis + 1) % 3];
      double v = p[(axis + 2) % 3];
      return Math.abs(a) <= halfHeight && u * u + v * v <= r * r;
    }
  }

  /** One shape: the union of one to three solids. */
  public static List<Solid> draw(RandomGenerator rng) {
    int n = 1 + rng.nextInt(3);
    List<Solid> solids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double size = uniform(rng, 0.2, 0.4);
      double[] c = {uniform(rng, -0.8 + size, 0.8 - size), uniform(rng, -0.8 + size, 0.8 - size),
          uniform(rng, -0.8 + size, 0.8 - size)};
      switch (rng.nextInt(3)) {
        case 0 -> solids.add(new Ball(c[0], c[1], c[2], size));
        case 1 -> solids.add(new Box(c[0], c[1], c[2], size * uniform(rng, 0.6, 1), size * uniform(rng, 0.6, 1),
            size * uniform(rng, 0.6, 1), uniform(rng, 0, Math.PI / 2)));
        default -> solids.add(new Cylinder(c, size * uniform(rng, 0.5, 0.9), size, rng.nextInt(3)));
      }
    }
    return solids;
  }

  /** Occupancy ±1 of {@code solids} at {@code coords [P·3]}, written to {@code out[offset …]}. */
  public static void occupancy(List<Solid> solids, double[] coords, double[] out, int offset) {
    for (int p = 0; p < coords.length / 3; p++) {
      boolean inside = false;
      for (Solid s : solids) {
        inside |= s.contains(coords[3 * p], coords[3 * p + 1], coords[3 * p + 2]);
      }
      out[offset + p] = inside ? 1 : -1;
    }
  }

  private static double uniform(RandomGenerator rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
