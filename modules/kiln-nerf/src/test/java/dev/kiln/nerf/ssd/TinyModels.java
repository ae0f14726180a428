package dev.kiln.nerf.ssd;

import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.scenes.Category;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import java.util.List;

/** Small models and scenes that keep the SSDNeRF tests fast. */
final class TinyModels {

  static final OrtBackend BACKEND = new OrtBackend(BackendOptions.cpu(2));

  private TinyModels() {}

  /** C = 2, S = 6 triplanes, an 8-channel UNet on 100 steps, 8 samples per ray. */
  static SsdNerfConfig.Model model() {
    return new SsdNerfConfig.Model(new TriplaneField.Config(2, 6, 8, null), 8, null, 8, List.of(1, 2), 4, 100, null,
        null, null, null, null, null, null);
  }

  static SsdNerfConfig config(int iterations, SsdNerfConfig.Reconstruction reconstruction) {
    return new SsdNerfConfig(model(), new SsdNerfConfig.Training(iterations, 2, 32, 2, 1, 1, null, null, null, null,
        null, null, null, null), reconstruction);
  }

  static MultiViewDataset data(int trainScenes, int testScenes, int views, int size) {
    return MultiViewDataset.generate(new MultiViewDataset.Config(List.of(Category.TOYCAR, Category.CHAIR),
        trainScenes, testScenes, views, size, null, null, 1, 11L));
  }
}
