package dev.kiln.nerf.scenes;

/**
 * A solid with a flat albedo that a ray can hit. {@link #intersect} returns the nearest hit distance
 * {@code t > 0} of the ray {@code o + t·d} (∞ when it misses) and writes the outward unit normal there.
 */
public sealed interface Primitive {

  /** RGB albedo in [0, 1]. */
  double[] albedo();

  /** Nearest positive hit distance, or {@link Double#POSITIVE_INFINITY}; writes the normal into {@code normal}. */
  double intersect(double[] o, double[] d, double[] normal);

  /** A sphere. */
  record Sphere(double[] center, double radius, double[] albedo) implements Primitive {
    @Override
    public double intersect(double[] o, double[] d, double[] normal) {
      double ox = o[0] - center[0];
      double oy = o[1] - center[1];
      double oz = o[2] - center[2];
      double b = ox * d[0] + oy * d[1] + oz * d[2];
      double c = ox * ox + oy * oy + oz * oz - radius * radius;
      double disc = b * b - c;
      if (disc < 0) {
        return Double.POSITIVE_INFINITY;
      }
      double sq = Math.sqrt(disc);
      double t = -b - sq > 1e-9 ? -b - sq : -b + sq;
      if (!(t > 1e-9)) {
        return Double.POSITIVE_INFINITY;
      }
      for (int a = 0; a < 3; a++) {
        normal[a] = (o[a] + t * d[a] - center[a]) / radius;
      }
      return t;
    }
  }

  /**
   * A box with half extents {@code half}, turned by {@code yaw} radians about the world z axis.
   */
  record Box(double[] center, double[] half, double yaw, double[] albedo) implements Primitive {
    @Override
    public double intersect(double[] o, double[] d, double[] normal) {
      double cos = Math.cos(yaw);
      double sin = Math.sin(yaw);
      // Into the box frame: rotate by −yaw about z.
      double[] lo = local(o[0] - center[0], o[1] - center[1], o[2] - center[2], cos, sin);
      double[] ld = local(d[0], d[1], d[2], cos, sin);
      double near = Double.NEGATIVE_INFINITY;
      double far = Double.POSITIVE_INFINITY;
      int nearAxis = -1;
      double nearSign = 0;
      for (int a = 0; a < 3; a++) {
        if (Math.abs(ld[a]) < 1e-12) {
          if (Math.abs(lo[a]) > half[a]) {
            return Double.POSITIVE_INFINITY;
          }
          continue;
        }
        double t0 = (-half[a] - lo[a]) / ld[a];
        double t1 = (half[a] - lo[a]) / ld[a];
        double sign = -1;
        if (t0 > t1) {
          double tmp = t0;
          t0 = t1;
          t1 = tmp;
          sign = 1;
        }
        if (t0 > near) {
          near = t0;
          nearAxis = a;
          nearSign = sign;
        }
        far = Math.min(far, t1);
      }
      if (near > far || !(near > 1e-9) || nearAxis < 0) {
        return Double.POSITIVE_INFINITY;
      }
      double[] n = {0, 0, 0};
      n[nearAxis] = nearSign;
      normal[0] = cos * n[0] - sin * n[1];
      normal[1] = sin * n[0] + cos * n[1];
      normal[2] = n[2];
      return near;
    }

    private static double[] local(double x, double y, double z, double cos, double sin) {
      return new double[] {cos * x + sin * y, -sin * x + cos * y, z};
    }
  }

  /**
   * A capped cylinder along world axis {@code axis} (0 = x, 1 = y, 2 = z) with the given radius and
   * half height.
   */
  record Cylinder(double[] center, double radius, double halfHeight, int axis, double[] albedo) implements Primitive {
    public Cylinder {
      if (axis < 0 || axis > 2) {
        throw new IllegalArgumentException("cylinder axis must be 0, 1 or 2, got " + axis);
      }
    }

    @Override
    public double intersect(double[] o, double[] d, double[] normal) {
      int u = (axis + 1) % 3;
      int v = (axis + 2) % 3;
      double ou = o[u] - center[u];
      double ov = o[v] - center[v];
      double oa = o[axis] - center[axis];
      double best = Double.POSITIVE_INFINITY;
      // Side: (ou + t du)² + (ov + t dv)² = r².
      double qa = d[u] * d[u] + d[v] * d[v];
      if (qa > 1e-12) {
        double qb = ou * d[u] + ov * d[v];
        double qc = ou * ou + ov * ov - radius * radius;
        double disc = qb * qb - qa * qc;
        if (disc >= 0) {
          double sq = Math.sqrt(disc);
          for (double t : new double[] {(-qb - sq) / qa, (-qb + sq) / qa}) {
            if (t > 1e-9 && t < best && Math.abs(oa + t * d[axis]) <= halfHeight) {
              best = t;
              normal[u] = (ou + t * d[u]) / radius;
              normal[v] = (ov + t * d[v]) / radius;
              normal[axis] = 0;
            }
          }
        }
      }
      // Caps at ±halfHeight.
      if (Math.abs(d[axis]) > 1e-12) {
        for (double side : new double[] {-1, 1}) {
          double t = (side * halfHeight - oa) / d[axis];
          double pu = ou + t * d[u];
          double pv = ov + t * d[v];
          if (t > 1e-9 && t < best && pu * pu + pv * pv <= radius * radius) {
            best = t;
            normal[u] = 0;
            normal[v] = 0;
            normal[axis] = side;
          }
        }
      }
      return best;
    }
  }
}
