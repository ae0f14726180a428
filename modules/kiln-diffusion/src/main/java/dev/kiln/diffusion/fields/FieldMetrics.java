package dev.kiln.diffusion.fields;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;

/**
 * Measurements of sampled fields, shared by the DPF study and {@code kiln zoo verify}: coverage and
 * minimum matching distance under IoU for occupancy, and the resamplings that bring fields of other resolutions and domains to the 28 × 28
 * grid the digit classifier reads (area averaging, bilinear upsampling, the inverse stereographic
 * projection of the sphere's northern cap).
 */
public final class FieldMetrics {

  private FieldMetrics() {}

  /**
   * Coverage and MMD-IoU of {@code samples [n·P]} against {@code refs [m·P]} (occupied where > 0), as in
   * Achlioptas et al.: COV = fraction of references that are the nearest reference (highest IoU) of some
   * sample; MMD = mean over references of the smallest 1 − IoU to any sample.
   *
   * @return {coverage, mmd}
   */
  public static double[] coverageAndMmd(float[] samples, int n, float[] refs, int m, int p) {
    double[][] iou = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        int both = 0;
        int either = 0;
        for (int k = 0; k < p; k++) {
          boolean a = samples[i * p + k] > 0;
          boolean b = refs[j * p + k] > 0;
          both += a && b ? 1 : 0;
          either += a || b ? 1 : 0;
        }
        iou[i][j] = either == 0 ? 1 : (double) both / either;
      }
    }
    boolean[] covered = new boolean[m];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < m; j++) {
        best = iou[i][j] > iou[i][best] ? j : best;
      }
      covered[best] = true;
    }
    double mmd = 0;
    int cov = 0;
    for (int j = 0; j < m; j++) {
      double nearest = 1;
      for (int i = 0; i < n; i++) {
        nearest = Math.min(nearest, 1 - iou[i][j]);
      }
      mmd += nearest / m;
      cov += covered[j] ? 1 : 0;
    }
    return new double[] {(double) cov / m, mmd};
  }

  /** Plane fields {@code [n, r·r, 1]} (r a multiple of 28) averaged over (r/28)² cells → [n, 1, 28, 28]. */
  public static Tensor downsampleTo28(Tensor fields, int r) {
    int n = (int) fields.dim(0);
    int f = r / 28;
    Tensor out = Tensor.zeros(DType.FLOAT, n, 1, 28, 28);
    for (int i = 0; i < n; i++) {
      for (int y = 0; y < r; y++) {
        for (int x = 0; x < r; x++) {
          int at = (i * 28 + y / f) * 28 + x / f;
          out.set(at, out.get(at) + fields.get((i * r + y) * r + x) / (f * f));
        }
      }
    }
    return out;
  }

  /** Images {@code [n, 1, s, s]} bilinearly resampled to [n, 1, r, r] (pixel centres aligned, edges clamped). */
  public static Tensor bilinear(Tensor images, int r) {
    int n = (int) images.dim(0);
    int s = (int) images.dim(2);
    Tensor out = Tensor.zeros(DType.FLOAT, n, 1, r, r);
    for (int i = 0; i < n; i++) {
      for (int y = 0; y < r; y++) {
        for (int x = 0; x < r; x++) {
          out.set((i * r + y) * r + x, sample(images, i, s, s, (x + 0.5) * s / r - 0.5, (y + 0.5) * s / r - 0.5,
              false));
        }
      }
    }
    return out;
  }

  /**
   * Sphere fields {@code [n, r·2r, 1]} on the latitude–longitude grid read back onto the 28 × 28 plane
   * through the inverse of sphere-mnist's projection {@code (u, v) = 1.25·(x, −y)/(1 + z)} → [n, 1, 28, 28].
   */
  public static Tensor sphereToPlane(Tensor fields, int r) {
    int n = (int) fields.dim(0);
    Tensor out = Tensor.zeros(DType.FLOAT, n, 1, 28, 28);
    for (int py = 0; py < 28; py++) {
      for (int px = 0; px < 28; px++) {
        double a = ((2 * px + 1.0) / 28 - 1) / 1.25;
        double b = -((2 * py + 1.0) / 28 - 1) / 1.25;
        double rr = a * a + b * b;
        double x = 2 * a / (1 + rr);
        double y = 2 * b / (1 + rr);
        double z = (1 - rr) / (1 + rr);
        double lat = Math.acos(z) / Math.PI * r - 0.5;
        double lon = (Math.atan2(y, x) + Math.PI) / Math.PI * r - 0.5;
        for (int i = 0; i < n; i++) {
          out.set((i * 28 + py) * 28 + px, sample(fields, i, r, 2 * r, lon, lat, true));
        }
      }
    }
    return out;
  }

  /** Bilinear read of image i ({@code h × w}, row-major) at (fx, fy); longitudes wrap when {@code wrap}. */
  private static double sample(Tensor t, int i, int h, int w, double fx, double fy, boolean wrap) {
    int x0 = (int) Math.floor(fx);
    int y0 = (int) Math.floor(fy);
    double ax = fx - x0;
    double ay = fy - y0;
    double v = 0;
    for (int dy = 0; dy < 2; dy++) {
      for (int dx = 0; dx < 2; dx++) {
        int xx = x0 + dx;
        xx = wrap ? Math.floorMod(xx, w) : Math.max(0, Math.min(w - 1, xx));
        int yy = Math.max(0, Math.min(h - 1, y0 + dy));
        v += (dx == 1 ? ax : 1 - ax) * (dy == 1 ? ay : 1 - ay) * t.get((i * h + yy) * w + xx);
      }
    }
    return v;
  }
}
