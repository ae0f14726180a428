package dev.kiln.nerf.nerfdiff;

import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.render.RaySamples;

/**
 * NerfDiff's camera-aligned ("local") triplane coordinates: a world point is expressed in the input
 * camera's frame as its image position and its depth, each scaled to [−1, 1],
 *
 * <pre>
 *   (x_c, y_c, z_c) = Rᵀ (p − o),   u = 2 (f_x x_c / z_c + c_x) / W − 1,   v = 2 (f_y y_c / z_c + c_y) / H − 1,
 *   d = (z_c − |o|) / √3
 * </pre>
 *
 * so the (u, v) plane is pixel-aligned with the input image (GridSample's {@code align_corners=0}
 * convention: −1 is the left edge of the first pixel) and the (u, d) and (v, d) planes have depth
 * along their second axis; depth 0 is the distance of the camera from the origin the scenes are
 * centred on, and ±1 spans the [−1, 1]³ scene box seen from any direction. Points outside the input
 * view read the planes' border (GridSample border padding). Coordinates are constants of the graph,
 * no gradient flows to them.
 */
public final class CameraAlignedPoints {

  private static final double HALF_DIAGONAL = Math.sqrt(3);

  private CameraAlignedPoints() {}

  /** World points {@code [P·3]} in {@code input}'s triplane coordinates {@code [P·3]}. */
  public static float[] align(Camera input, float[] world) {
    double[] m = input.c2w();
    Intrinsics in = input.intrinsics();
    double ox = m[3];
    double oy = m[7];
    double oz = m[11];
    double centre = Math.sqrt(ox * ox + oy * oy + oz * oz);
    float[] out = new float[world.length];
    for (int i = 0; i < world.length; i += 3) {
      double dx = world[i] - ox;
      double dy = world[i + 1] - oy;
      double dz = world[i + 2] - oz;
      double xc = m[0] * dx + m[4] * dy + m[8] * dz;
      double yc = m[1] * dx + m[5] * dy + m[9] * dz;
      double zc = Math.max(m[2] * dx + m[6] * dy + m[10] * dz, 1e-6);
      out[i] = (float) (2 * (in.fx() * xc / zc + in.cx()) / in.width() - 1);
      out[i + 1] = (float) (2 * (in.fy() * yc / zc + in.cy()) / in.height() - 1);
      out[i + 2] = (float) ((zc - centre) / HALF_DIAGONAL);
    }
    return out;
  }

  /** {@code samples} with their points in {@code input}'s triplane coordinates (t and δ unchanged). */
  public static RaySamples align(Camera input, RaySamples samples) {
    return new RaySamples(samples.rays(), samples.samples(), samples.t(), samples.delta(),
        align(input, samples.points()));
  }
}
