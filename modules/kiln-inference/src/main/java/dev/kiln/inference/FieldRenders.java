package dev.kiln.inference;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;

/**
 * Sampled fields as images a person can look at, all as {@code [n, 1, h, w]} tensors for an image
 * grid: plane fields as pictures, sphere fields as equirectangular (latitude × longitude) maps,
 * occupancy fields as depth images from several angles, and fields at arbitrary coordinates as
 * splats on the domain's chart.
 */
public final class FieldRenders {

  private FieldRenders() {}

  /** Views of a volume: azimuths 30°, 120°, 210° and 300° at 25° elevation. */
  public static final int VIEWS = 4;

  /**
   * Grid samples laid out as one picture: the images, the low end of their value range (0 for depth
   * views, −1 for signals), the images per row and the pixel scale, so each image is about 112 pixels
   * across (192 for a sphere map) and a volume sample fills one row of its views.
   */
  public record Sheet(Tensor images, double low, int columns, int scale) {}

  /** {@link #grid} of the samples at resolution r, as a {@link Sheet}. */
  public static Sheet sheet(Domain domain, Tensor samples, int r) {
    int n = (int) samples.dim(0);
    Tensor images = grid(domain, samples, r, 96);
    if (domain instanceof Domain.Volume) {
      return new Sheet(images, 0, VIEWS, 1);
    }
    int scale = Math.max(1, domain instanceof Domain.Sphere ? 96 / r : 112 / r);
    return new Sheet(images, -1, (int) Math.ceil(Math.sqrt(n)), scale);
  }

  /**
   * A grid field's values {@code samples [n, P, 1]} at resolution r as images: the plane [n, 1, r, r],
   * the sphere [n, 1, r, 2r] (values in the field's range); the volume as {@link #depthViews}.
   */
  public static Tensor grid(Domain domain, Tensor samples, int r, int size) {
    int n = (int) samples.dim(0);
    if (domain instanceof Domain.Volume) {
      return depthViews(samples, r, size);
    }
    int[] shape = domain.gridShape(r);
    return Tensor.of(DType.FLOAT, samples.toDoubleArray(), n, 1, shape[0], shape[1]);
  }

  /**
   * Depth images [n·{@link #VIEWS}, 1, size, size] in [0, 1] of occupancy fields {@code samples [n, r³, 1]}
   * (occupied where the signal is > 0): orthographic rays march through the voxel grid, brighter is
   * nearer, 0 where a ray leaves the cube without a hit. Row i·VIEWS + v is sample i seen from view v.
   */
  public static Tensor depthViews(Tensor samples, int r, int size) {
    int n = (int) samples.dim(0);
    int p = r * r * r;
    float[] v = samples.toFloatArray();
    Tensor out = Tensor.zeros(DType.FLOAT, (long) n * VIEWS, 1, size, size);
    double far = 5;
    double step = 0.5 / r;
    for (int view = 0; view < VIEWS; view++) {
      double az = Math.toRadians(30 + 90 * view);
      double el = Math.toRadians(25);
      double[] f = {Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)};
      double[] right = {-Math.sin(az), Math.cos(az), 0};
      double[] up = {f[1] * right[2] - f[2] * right[1], f[2] * right[0] - f[0] * right[2],
          f[0] * right[1] - f[1] * right[0]};
      for (int py = 0; py < size; py++) {
        for (int px = 0; px < size; px++) {
          double s = 1.6 * ((px + 0.5) / size * 2 - 1);
          double u = -1.6 * ((py + 0.5) / size * 2 - 1);
          double[] o = new double[3];
          for (int a = 0; a < 3; a++) {
            o[a] = 2.5 * f[a] + s * right[a] + u * up[a];
          }
          for (int i = 0; i < n; i++) {
            double hit = march(v, i * p, r, o, f, far, step);
            out.set(((i * VIEWS + view) * size + py) * size + px, hit < far ? 1 - hit / far : 0);
          }
        }
      }
    }
    return out;
  }

  /** Distance along −f from o to the first occupied voxel of field {@code v[base …]}, or {@code far}. */
  private static double march(float[] v, int base, int r, double[] o, double[] f, double far, double step) {
    for (double t = 0; t < far; t += step) {
      int x = voxel(o[0] - t * f[0], r);
      int y = voxel(o[1] - t * f[1], r);
      int z = voxel(o[2] - t * f[2], r);
      if (x >= 0 && y >= 0 && z >= 0 && v[base + (z * r + y) * r + x] > 0) {
        return t;
      }
    }
    return far;
  }

  private static int voxel(double c, int r) {
    int i = (int) Math.floor((c + 1) / 2 * r);
    return c < -1 || i >= r ? -1 : i;
  }

  /**
   * Fields at arbitrary coordinates {@code coords [P·D]} with values {@code samples [n, P, 1]}, splatted
   * onto a size × size chart of the domain ([n, 1, size, size], −1 where no point falls): the plane by
   * (u, v), the sphere by (longitude, latitude), the volume by (x, y) seen from +z keeping the
   * largest value on each pixel.
   */
  public static Tensor splat(Domain domain, double[] coords, Tensor samples, int size) {
    int n = (int) samples.dim(0);
    int d = domain.dimension();
    int p = coords.length / d;
    Tensor out = Tensor.zeros(DType.FLOAT, n, 1, size, size);
    out.fill(-1);
    for (int j = 0; j < p; j++) {
      double a;
      double b;
      if (domain instanceof Domain.Sphere) {
        a = Math.atan2(coords[3 * j + 1], coords[3 * j]) / Math.PI;
        b = 2 * Math.acos(Math.max(-1, Math.min(1, coords[3 * j + 2]))) / Math.PI - 1;
      } else {
        a = coords[d * j];
        b = domain instanceof Domain.Plane ? coords[d * j + 1] : -coords[d * j + 1];
      }
      int x = Math.min(size - 1, Math.max(0, (int) Math.floor((a + 1) / 2 * size)));
      int y = Math.min(size - 1, Math.max(0, (int) Math.floor((b + 1) / 2 * size)));
      for (int i = 0; i < n; i++) {
        int at = (i * size + y) * size + x;
        out.set(at, Math.max(out.get(at), samples.get(i * p + j)));
      }
    }
    return out;
  }
}
