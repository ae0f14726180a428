package dev.kiln.nerf.ssd;

import dev.kiln.nerf.render.Aabb;
import dev.kiln.nerf.render.RaySamples;
import dev.kiln.nerf.render.StratifiedSampler;
import dev.kiln.runtime.Tensor;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.random.RandomGenerator;

/** Fills a rendering-loss graph's ray inputs with random rays of each scene in a batch. */
final class RayBatch {

  private RayBatch() {}

  /**
   * Draws {@code rays} random rays from each scene's pool, samples them with jitter, and writes
   * {@code points}, {@code delta}, {@code target} and (if the graph reads it) {@code t} of {@code program}.
   */
  static void fill(CompiledGraph program, List<SceneRays> scenes, int rays, int samplesPerRay, RandomGenerator rng) {
    StratifiedSampler sampler = new StratifiedSampler(samplesPerRay, Aabb.unit(), 0.0);
    FloatBuffer points = program.in("points").floats();
    FloatBuffer t = program.reads("t") ? program.in("t").floats() : null;
    FloatBuffer delta = program.in("delta").floats();
    FloatBuffer target = program.in("target").floats();
    int k = samplesPerRay;
    for (int b = 0; b < scenes.size(); b++) {
      SceneRays pool = scenes.get(b);
      int[] idx = pool.draw(rays, rng);
      RaySamples s = sampler.sample(pool.rays(idx), rng);
      points.put(b * rays * k * 3, s.points());
      if (t != null) {
        t.put(b * rays * k, s.t());
      }
      delta.put(b * rays * k, s.delta());
      for (int i = 0; i < rays; i++) {
        for (int c = 0; c < 3; c++) {
          target.put(3 * (b * rays + i) + c, pool.color(idx[i], c));
        }
      }
    }
  }

  /** Copies {@code codes} (one float[] per scene) into the [B, …] tensor {@code into}. */
  static void copyCodes(List<float[]> codes, Tensor into) {
    FloatBuffer buf = into.floats();
    int n = codes.get(0).length;
    for (int b = 0; b < codes.size(); b++) {
      buf.put(b * n, codes.get(b));
    }
  }
}
