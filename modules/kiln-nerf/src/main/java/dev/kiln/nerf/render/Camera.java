package dev.kiln.nerf.render;

/**
 * A pinhole camera: intrinsics plus a camera-to-world pose in the OpenCV convention (camera x to the
 * right, y down, z forward along the viewing direction).
 *
 * @param intrinsics focal lengths, principal point, image size
 * @param c2w camera-to-world transform, 3×4 row-major {@code [R | position]}; R's columns are the
 *     camera's x, y and z axes in world coordinates
 */
public record Camera(Intrinsics intrinsics, double[] c2w) {

  public Camera {
    if (c2w.length != 12) {
      throw new IllegalArgumentException("c2w must hold 12 values (3×4 row-major), got " + c2w.length);
    }
    c2w = c2w.clone();
  }

  /**
   * A camera at {@code eye} looking at {@code target}, with {@code up} pointing roughly up in the
   * image (so the camera's y axis, which points down, is close to −up).
   */
  public static Camera lookAt(double[] eye, double[] target, double[] up, Intrinsics intrinsics) {
    double[] z = normalize(sub(target, eye));
    double[] x = normalize(cross(z, up));
    double[] y = cross(z, x);
    return new Camera(intrinsics, new double[] {
        x[0], y[0], z[0], eye[0],
        x[1], y[1], z[1], eye[1],
        x[2], y[2], z[2], eye[2]});
  }

  /**
   * A camera on a sphere around the origin with world z up: {@code azimuth} measured from +x towards
   * +y, {@code elevation} above the xy plane, both in degrees.
   */
  public static Camera orbit(double radius, double azimuthDegrees, double elevationDegrees, Intrinsics intrinsics) {
    double az = Math.toRadians(azimuthDegrees);
    double el = Math.toRadians(elevationDegrees);
    double[] eye = {radius * Math.cos(el) * Math.cos(az), radius * Math.cos(el) * Math.sin(az), radius * Math.sin(el)};
    return lookAt(eye, new double[] {0, 0, 0}, new double[] {0, 0, 1}, intrinsics);
  }

  /** The camera centre in world coordinates. */
  public double[] position() {
    return new double[] {c2w[3], c2w[7], c2w[11]};
  }

  /** Rays through the centres of every pixel, row by row. */
  public Rays rays() {
    int n = intrinsics.pixels();
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return rays(all);
  }

  /** Rays through the centres of the given pixels ({@code row · width + column}). */
  public Rays rays(int[] pixels) {
    float[] o = new float[pixels.length * 3];
    float[] d = new float[pixels.length * 3];
    for (int i = 0; i < pixels.length; i++) {
      int u = pixels[i] % intrinsics.width();
      int v = pixels[i] / intrinsics.width();
      direction(u + 0.5, v + 0.5, d, 3 * i);
      o[3 * i] = (float) c2w[3];
      o[3 * i + 1] = (float) c2w[7];
      o[3 * i + 2] = (float) c2w[11];
    }
    return new Rays(o, d);
  }

  /** The unit world direction through image point {@code (px, py)}, written at {@code out[at..at+2]}. */
  public void direction(double px, double py, float[] out, int at) {
    double[] w = direction(px, py);
    out[at] = (float) w[0];
    out[at + 1] = (float) w[1];
    out[at + 2] = (float) w[2];
  }

  /** The unit world direction through image point {@code (px, py)} (pixel units, corner at 0). */
  public double[] direction(double px, double py) {
    double xc = (px - intrinsics.cx()) / intrinsics.fx();
    double yc = (py - intrinsics.cy()) / intrinsics.fy();
    double[] w = {
        c2w[0] * xc + c2w[1] * yc + c2w[2],
        c2w[4] * xc + c2w[5] * yc + c2w[6],
        c2w[8] * xc + c2w[9] * yc + c2w[10]};
    return normalize(w);
  }

  static double[] sub(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  }

  static double[] cross(double[] a, double[] b) {
    return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  }

  static double[] normalize(double[] a) {
    double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    if (!(n > 0)) {
      throw new IllegalArgumentException("cannot normalise a zero vector");
    }
    return new double[] {a[0] / n, a[1] / n, a[2] / n};
  }
}
