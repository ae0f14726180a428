package dev.kiln.nerf.control3diff;

import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The diffusion model's training data, all made by the GAN: styles w = mapping(z), a camera π drawn
 * from the training views' poses, and the rendering I = R(G(w), π) from which controls c = f(I) are
 * derived. No multi-view or 3D ground truth enters.
 *
 * @param styles w, one float[W] per sample
 * @param cameras π per sample
 * @param images I [3, H, W] per sample
 */
public record GanSamples(List<float[]> styles, List<Camera> cameras, List<float[]> images) {

  /** Draws {@code count} samples, rendering {@code chunk} at a time. */
  public static GanSamples draw(TriplaneGan gan, int count, List<Camera> poses, OrtBackend backend, long seed) {
    int chunk = Math.min(count, 64);
    List<float[]> styles = new ArrayList<>();
    List<Camera> cameras = new ArrayList<>();
    List<float[]> images = new ArrayList<>();
    try (CompiledGraph r = gan.renderer(chunk, backend)) {
      for (int start = 0; start < count; start += chunk) {
        SplittableRandom rng = Seeds.rng(seed, "gan-samples", start);
        List<float[]> w = gan.sampleStyles(chunk, rng, backend);
        List<Camera> cams = new ArrayList<>();
        for (int i = 0; i < chunk; i++) {
          cams.add(poses.get(rng.nextInt(poses.size())));
        }
        List<float[]> rendered = gan.render(r, w, cams);
        int keep = Math.min(chunk, count - start);
        styles.addAll(w.subList(0, keep));
        cameras.addAll(cams.subList(0, keep));
        images.addAll(rendered.subList(0, keep));
      }
    }
    return new GanSamples(List.copyOf(styles), List.copyOf(cameras), List.copyOf(images));
  }

  public int size() {
    return styles.size();
  }
}
