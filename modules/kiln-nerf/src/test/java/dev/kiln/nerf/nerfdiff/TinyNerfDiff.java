package dev.kiln.nerf.nerfdiff;

import dev.kiln.nerf.scenes.Category;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import java.util.List;

/** Small NerfDiff models and scenes that keep the tests fast. */
final class TinyNerfDiff {

  static final OrtBackend BACKEND = new OrtBackend(BackendOptions.cpu(1));

  private TinyNerfDiff() {}

  /** 8×8 views, C = 2, an 8-wide decoder, 6 samples per ray, base-8 UNets on 100 diffusion steps. */
  static NerfDiffConfig.Model model() {
    return new NerfDiffConfig.Model(8, 2, 8, 6, null, 8, 8, List.of(1, 2), 4, 100, null, null);
  }

  static NerfDiffConfig config(int steps, NerfDiffConfig.Distillation distillation) {
    return new NerfDiffConfig(model(), new NerfDiffConfig.Training(steps, 2, 3e-3, 1e-3), distillation);
  }

  static MultiViewDataset data(int trainScenes, int testScenes, int views) {
    return MultiViewDataset.generate(new MultiViewDataset.Config(List.of(Category.TOYCAR, Category.CHAIR),
        trainScenes, testScenes, views, 8, null, null, 1, 11L));
  }
}
