package dev.kiln.nerf.render;

import java.util.random.RandomGenerator;

/**
 * Stratified sampling inside a bounding box: each ray's segment inside the box is cut into
 * {@code samples} equal bins, and each bin gets one sample at a uniformly jittered position in
 * training (its midpoint at test time). A sample's δ is its bin's length, so Σδ is the chord length
 * of the box along the ray and the quadrature sees the whole segment.
 *
 * @param samples samples per ray S
 * @param box the scene bounds
 * @param minNear nearest distance sampled
 */
public record StratifiedSampler(int samples, Aabb box, double minNear) {

  public StratifiedSampler {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be positive, got " + samples);
    }
  }

  /** Samples {@code rays}; {@code jitter} null gives bin midpoints. */
  public RaySamples sample(Rays rays, RandomGenerator jitter) {
    int r = rays.count();
    float[] t = new float[r * samples];
    float[] delta = new float[r * samples];
    float[] points = new float[3 * r * samples];
    for (int i = 0; i < r; i++) {
      double[] nf = box.nearFar(rays, i, minNear);
      double bin = (nf[1] - nf[0]) / samples;
      for (int s = 0; s < samples; s++) {
        double u = jitter == null ? 0.5 : jitter.nextDouble();
        double ts = nf[0] + (s + u) * bin;
        int k = i * samples + s;
        t[k] = (float) ts;
        delta[k] = (float) bin;
        for (int a = 0; a < 3; a++) {
          double p = rays.origins()[3 * i + a] + ts * rays.directions()[3 * i + a];
          // Keep points inside the box even when rounding nudges them out.
          points[3 * k + a] = (float) Math.max(box.lo(), Math.min(box.hi(), p));
        }
      }
    }
    return new RaySamples(r, samples, t, delta, points);
  }
}
