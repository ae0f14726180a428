package dev.kiln.nerf.control3diff;

import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.scenes.Category;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
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

  /** One 8×8 view of each of {@code scenes} toy cars. */
  static List<View> views(int scenes) {
    return MultiViewDataset.generate(new MultiViewDataset.Config(List.of(Category.TOYCAR), scenes, 1, 1, 8, null, null,
        1, 5L)).train().stream().map(s -> s.inputs().get(0)).toList();
  }
}
