package dev.kiln.nerf.render;

import dev.kiln.runtime.Tensor;

/**
 * Sample positions along a batch of rays.
 *
 * @param rays how many rays R
 * @param samples samples per ray S
 * @param t distance of each sample [R, S]
 * @param delta length of the interval each sample stands for [R, S] (zero for rays that miss)
 * @param points world position of each sample [R, S, 3]
 */
public record RaySamples(int rays, int samples, float[] t, float[] delta, float[] points) {

  public RaySamples {
    if (t.length != rays * samples || delta.length != rays * samples || points.length != 3 * rays * samples) {
      throw new IllegalArgumentException("sample arrays do not match " + rays + " rays × " + samples + " samples");
    }
  }

  /** t as a float32 tensor [R, S]. */
  public Tensor tTensor() {
    return Tensor.of(t, rays, samples);
  }

  /** δ as a float32 tensor [R, S]. */
  public Tensor deltaTensor() {
    return Tensor.of(delta, rays, samples);
  }

  /** Sample positions as a float32 tensor [R·S, 3]. */
  public Tensor pointsTensor() {
    return Tensor.of(points, (long) rays * samples, 3);
  }
}
