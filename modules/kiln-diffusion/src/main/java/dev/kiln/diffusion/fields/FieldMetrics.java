package dev.kiln.diffusion.fields;

import dev.kiln.graph.DType;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.process.ScheduleConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measurements of sampled fields, shared by the DPF study and {@code kiln zoo verify}: coverage and
 * minimum matching distance under IoU for occupancy, and the resamplings that bring fields of other resolutions and domains to the 28 × 28
 * grid the digit classifier reads (area averaging, bilinear upsampling, the inverse stereographic
 * projection of the sphere's northern cap), and how much a field denoiser reads its context.
 */
public final class FieldMetrics {

  private FieldMetrics() {}

  /**
   * The one-step estimate x̂₀ of held-out fields noised at timestep {@code t}, mean squared error per
   * signal value: with each field's own context, with the context of another field (same t, same
   * coordinates drawn), and of the per-coordinate mean of the fields (what a denoiser that ignores both
   * its context and its own noisy value could do at best without a prior over fields).
   */
  public record ContextUse(int t, double own, double swapped, double mean) {}

  /** Held-out fields of the standard context-use measure. */
  public static final int CONTEXT_USE_FIELDS = 64;

  /**
   * The standard context-use measure of exported field model {@code m}, what {@code kiln eval} prints and
   * the DPF study records: {@value #CONTEXT_USE_FIELDS} held-out fields of its data at its training
   * resolution, its own context size, at 0.3 T, 0.5 T and 0.7 T of the schedule in its recipe.
   */
  public static List<ContextUse> contextUse(GenerativeModel m, long seed) {
    NoiseSchedule schedule = Configs.read(m.recipe().path("task").path("schedule"), ScheduleConfig.class,
        m.path() + " metadata recipe task.schedule").schedule();
    int steps = schedule.numTrainTimesteps();
    int[] ts = {(int) (0.3 * steps), (int) (0.5 * steps), (int) (0.7 * steps)};
    return contextUse(m.session(), FieldData.of(m.data(), m.fieldResolution(), CONTEXT_USE_FIELDS), schedule,
        m.contextSize(), CONTEXT_USE_FIELDS, ts, seed);
  }

  /**
   * Whether a field denoiser {@code model} (inputs as {@link PerceiverIo}) reads its context: n
   * held-out fields of {@code data} drawn by {@code seed}, each noised once at each timestep of
   * {@code timesteps} with the noise shared by its context and its queries (every grid point), its
   * context {@code contextSize} grid points drawn by the seed; the estimate
   * {@code x̂₀ = clip((y_t − √(1−ᾱ)·ε̂)/√ᾱ, ±1)} is measured against the clean field with the field's own
   * context and with the next field's. A denoiser that reads its context does much better with its own.
   */
  public static List<ContextUse> contextUse(Session model, FieldData data, NoiseSchedule schedule, int contextSize,
      int n, int[] timesteps, long seed) {
    int p = data.pairs();
    int d = data.domain().dimension();
    if (n < 1 || contextSize < 1 || contextSize > p) {
      throw new IllegalArgumentException("context use needs n >= 1 and a context of 1.." + p + " pairs, got n = " + n
          + " and " + contextSize);
    }
    double[] y0 = new double[n * p];
    data.reference(seed, n, true, y0);
    double[] grid = data.coords();
    double[] mean = new double[p];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        mean[j] += y0[i * p + j] / n;
      }
    }
    double meanError = 0;
    for (int i = 0; i < n * p; i++) {
      meanError += (mean[i % p] - y0[i]) * (mean[i % p] - y0[i]);
    }
    meanError /= (double) n * p;
    List<ContextUse> out = new ArrayList<>();
    for (int t : timesteps) {
      SplittableRandom rng = Seeds.rng(seed, "context-use", t);
      double a = Math.sqrt(schedule.alphaCumprod(t));
      double s = Math.sqrt(1 - schedule.alphaCumprod(t));
      double[] yt = new double[n * p];
      for (int i = 0; i < n * p; i++) {
        yt[i] = a * y0[i] + s * rng.nextGaussian();
      }
      int[][] picks = new int[n][];
      for (int i = 0; i < n; i++) {
        picks[i] = Seeds.distinct(rng, p, contextSize);
      }
      double[] errors = new double[2];
      for (int swap = 0; swap < 2; swap++) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        Tensor x = Tensor.zeros(DType.FLOAT, n, p, 1);
        Tensor coords = Tensor.zeros(DType.FLOAT, n, p, d);
        Tensor context = Tensor.zeros(DType.FLOAT, n, contextSize, 1);
        Tensor contextCoords = Tensor.zeros(DType.FLOAT, n, contextSize, d);
        Tensor time = Tensor.zeros(DType.FLOAT, n);
        for (int i = 0; i < n; i++) {
          time.set(i, t);
          for (int j = 0; j < p; j++) {
            x.set(i * p + j, yt[i * p + j]);
            for (int c = 0; c < d; c++) {
              coords.set((i * p + j) * d + c, grid[j * d + c]);
            }
          }
          int from = swap == 0 ? i : (i + 1) % n;
          for (int j = 0; j < contextSize; j++) {
            int q = picks[from][j];
            context.set(i * contextSize + j, yt[from * p + q]);
            for (int c = 0; c < d; c++) {
              contextCoords.set((i * contextSize + j) * d + c, grid[q * d + c]);
            }
          }
        }
        in.put("x", x);
        in.put("coords", coords);
        in.put("t", time);
        in.put("context", context);
        in.put("context_coords", contextCoords);
        Tensor eps = model.run(in).get("out");
        double e = 0;
        for (int i = 0; i < n * p; i++) {
          double x0 = Math.max(-1, Math.min(1, (yt[i] - s * eps.get(i)) / a));
          e += (x0 - y0[i]) * (x0 - y0[i]);
        }
        errors[swap] = e / ((double) n * p);
      }
      out.add(new ContextUse(t, errors[0], errors[1], meanError));
    }
    return out;
  }

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
