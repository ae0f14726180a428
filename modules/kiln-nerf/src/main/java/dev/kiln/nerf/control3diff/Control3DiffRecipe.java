package dev.kiln.nerf.control3diff;

import dev.kiln.nerf.scenes.MultiViewDataset;
import java.util.List;

/**
 * Everything one Control3Diff training is made from, read strictly from JSON (snake_case) by
 * {@code kiln control3diff train --config FILE}: the procedural scenes (one view per training scene is
 * the GAN's data), the GAN, the latent priors and which controls get a conditional prior.
 *
 * @param data the scenes ({@link MultiViewDataset.Config}); the GAN sees the first view of each training scene
 * @param gan the triplane GAN and its training
 * @param prior every latent prior and its training
 * @param controls the controls a conditional prior is trained for ({@code image}, {@code edges},
 *     {@code segmentation}; null: all three); the unconditional prior is always trained
 */
public record Control3DiffRecipe(MultiViewDataset.Config data, GanConfig gan, PriorConfig prior, List<String> controls) {

  public Control3DiffRecipe {
    if (data == null || gan == null || prior == null) {
      throw new IllegalArgumentException("control3diff recipe: fields `data`, `gan` and `prior` are required");
    }
    controls = controls == null ? List.of("image", "edges", "segmentation") : List.copyOf(controls);
    for (String c : controls) {
      ControlSignal.parse(c);
    }
    if (data.trainViews() != 1) {
      throw new IllegalArgumentException("control3diff recipe: field `data.train_views` must be 1 (the GAN learns"
          + " from single views), got " + data.trainViews());
    }
  }

  /** The controls as signals, in the recipe's order. */
  public List<ControlSignal> controlSignals() {
    return controls.stream().map(ControlSignal::parse).toList();
  }
}
