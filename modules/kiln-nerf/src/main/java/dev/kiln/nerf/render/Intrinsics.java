package dev.kiln.nerf.render;

/**
 * A pinhole camera's intrinsics in pixels. Pixel {@code (u, v)} (column, row) has its centre at
 * {@code (u + ½, v + ½)}; the principal point is {@code (cx, cy)}.
 *
 * @param width image width
 * @param height image height
 * @param fx focal length along x
 * @param fy focal length along y
 * @param cx principal point x
 * @param cy principal point y
 */
public record Intrinsics(int width, int height, double fx, double fy, double cx, double cy) {

  public Intrinsics {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "×" + height);
    }
    if (!(fx > 0) || !(fy > 0)) {
      throw new IllegalArgumentException("focal lengths must be positive, got fx " + fx + ", fy " + fy);
    }
  }

  /** Square pixels, principal point at the centre, vertical field of view {@code fovYDegrees}. */
  public static Intrinsics fromFov(int width, int height, double fovYDegrees) {
    if (!(fovYDegrees > 0 && fovYDegrees < 180)) {
      throw new IllegalArgumentException("field of view must be in (0, 180) degrees, got " + fovYDegrees);
    }
    double f = 0.5 * height / Math.tan(Math.toRadians(fovYDegrees) / 2);
    return new Intrinsics(width, height, f, f, width / 2.0, height / 2.0);
  }

  /** Number of pixels. */
  public int pixels() {
    return width * height;
  }
}
