package dev.kiln.nerf.render;

/**
 * The axis-aligned cube {@code [lo, hi]³} that bounds a scene; rays are sampled only inside it.
 *
 * @param lo lower corner on every axis
 * @param hi upper corner on every axis
 */
public record Aabb(double lo, double hi) {

  public Aabb {
    if (!(hi > lo)) {
      throw new IllegalArgumentException("box needs lo < hi, got [" + lo + ", " + hi + "]");
    }
  }

  /** The cube [−1, 1]³ that triplane coordinates span. */
  public static Aabb unit() {
    return new Aabb(-1, 1);
  }

  /**
   * Slab test: the entry and exit distances of ray {@code r} of {@code rays}, with the entry no
   * closer than {@code minNear}; {@code near ≥ far} when the ray misses the box.
   */
  public double[] nearFar(Rays rays, int r, double minNear) {
    double near = minNear;
    double far = Double.POSITIVE_INFINITY;
    for (int a = 0; a < 3; a++) {
      double o = rays.origins()[3 * r + a];
      double d = rays.directions()[3 * r + a];
      if (Math.abs(d) < 1e-12) {
        if (o < lo || o > hi) {
          return new double[] {minNear, minNear};
        }
        continue;
      }
      double t0 = (lo - o) / d;
      double t1 = (hi - o) / d;
      near = Math.max(near, Math.min(t0, t1));
      far = Math.min(far, Math.max(t0, t1));
    }
    return far > near ? new double[] {near, far} : new double[] {near, near};
  }
}
