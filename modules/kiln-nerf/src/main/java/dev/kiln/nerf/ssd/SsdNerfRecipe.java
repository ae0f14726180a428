package dev.kiln.nerf.ssd;

import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.spi.DataIdentity;
import java.util.List;

/**
 * What {@code kiln ssdnerf train} trains: single-stage SSDNeRF on the procedural scenes of {@code data}.
 *
 * @param data the dataset (its training scenes are trained on)
 * @param ssdnerf the model, training and test-time settings
 * @param seed initialisation, batches, rays and noise
 * @param logEvery outer iterations between logged training points
 */
public record SsdNerfRecipe(MultiViewDataset.Config data, SsdNerfConfig ssdnerf, Long seed, Integer logEvery) {

  public SsdNerfRecipe {
    data = data == null ? MultiViewDataset.Config.defaults() : data;
    ssdnerf = ssdnerf == null ? SsdNerfConfig.defaults() : ssdnerf;
    seed = seed == null ? 0L : seed;
    logEvery = logEvery == null ? 25 : logEvery;
    if (logEvery < 1) {
      throw new IllegalArgumentException("log_every must be positive, got " + logEvery);
    }
  }

  /** The training views' name and the SHA-256 of their pixels, for provenance. */
  public static DataIdentity identity(MultiViewDataset.Config data, List<SceneViews> train) {
    int pixels = 3 * data.imageSize() * data.imageSize();
    double[] values = new double[train.size() * data.trainViews() * pixels];
    int k = 0;
    for (SceneViews s : train) {
      for (var v : s.inputs()) {
        for (float x : v.rgb()) {
          values[k++] = x;
        }
      }
    }
    return DataIdentity.ofDraw("procedural multi-view scenes " + data.categories().stream().map(dev.kiln.nerf.scenes.Category::id).toList() + ", " + train.size()
        + " training scenes × " + data.trainViews() + " views, " + data.imageSize() + "², seed " + data.seed(),
        values);
  }
}
