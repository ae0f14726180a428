package dev.kiln.nerf.control3diff;

import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.scenes.Category;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import java.util.List;

/** Small GANs and scenes that keep the Control3Diff tests fast. */
final class TinyGan {

  static final OrtBackend BACKEND = new OrtBackend(BackendOptions.cpu(1));

  private TinyGan() {}

  /** 8×8 renders of a 3×2×8×8 triplane, 6 samples per ray, batch 2. */
  static GanConfig config(int steps) {
    return new GanConfig(8, 8, 16, 8, new TriplaneField.Config(2, 8, 8, null), 8, 6, 4, 1.0, null, null, null, null, 2,
        steps);
  }

  /**
   * An untrained GAN whose renderings depend strongly on w: the synthesis network's last layer is
   * scaled up, so densities and colours vary from latent to latent as a trained GAN's do.
   */
  static TriplaneGan sensitive(long seed) {
    TriplaneGan gan = TriplaneGan.initialize(config(0), seed);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    gan.generatorWeights().forEach((name, w) -> {
      if (name.endsWith("planes.weight") || name.endsWith("start.weight")) {
        for (int i = 0; i < w.size(); i++) {
          w.set(i, 1.5 * (2 * rng.nextDouble() - 1));
        }
      }
    });
    return gan;
  }

  /** One 8×8 view of each of {@code scenes} toy cars. */
  static List<View> views(int scenes) {
    return MultiViewDataset.generate(new MultiViewDataset.Config(List.of(Category.TOYCAR), scenes, 1, 1, 8, null, null,
        1, 5L)).train().stream().map(s -> s.inputs().get(0)).toList();
  }
}
