package dev.kiln.nerf.scenes;

import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;

/**
 * Renders a {@link Scene} exactly: nearest analytic hit per ray (quadratics for spheres and
 * cylinders, slab tests for boxes), Lambert shading, white background, and {@code supersample²}
 * stratified rays per pixel averaged for anti-aliasing. Depth and object id come from the pixel's
 * centre ray.
 *
 * @param supersample rays per pixel side (1 = the centre ray only)
 */
public record RayTracer(int supersample) {

  public RayTracer {
    if (supersample < 1) {
      throw new IllegalArgumentException("supersample must be at least 1, got " + supersample);
    }
  }

  /** The scene seen by {@code camera}. */
  public View render(Scene scene, Camera camera) {
    Intrinsics in = camera.intrinsics();
    int w = in.width();
    int h = in.height();
    float[] rgb = new float[3 * w * h];
    float[] depth = new float[w * h];
    int[] ids = new int[w * h];
    double[] o = camera.position();
    double[] c = new double[3];
    for (int v = 0; v < h; v++) {
      for (int u = 0; u < w; u++) {
        int p = v * w + u;
        double[] sum = new double[3];
        for (int sy = 0; sy < supersample; sy++) {
          for (int sx = 0; sx < supersample; sx++) {
            double[] d = camera.direction(u + (sx + 0.5) / supersample, v + (sy + 0.5) / supersample);
            Scene.Hit hit = scene.trace(o, d, c);
            for (int ch = 0; ch < 3; ch++) {
              sum[ch] += hit.primitive() >= 0 ? c[ch] : 1.0;
            }
          }
        }
        for (int ch = 0; ch < 3; ch++) {
          rgb[ch * w * h + p] = (float) (sum[ch] / (supersample * supersample));
        }
        Scene.Hit centre = scene.trace(o, camera.direction(u + 0.5, v + 0.5), c);
        depth[p] = (float) centre.distance();
        ids[p] = centre.primitive();
      }
    }
    return new View(camera, rgb, depth, ids);
  }
}
