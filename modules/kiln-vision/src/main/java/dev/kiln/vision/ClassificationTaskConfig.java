package dev.kiln.vision;

/**
 * The classification task as a recipe writes it.
 *
 * @param data the dataset (mnist)
 * @param batchSize examples per step
 * @param augmentShift largest random shift in pixels applied to training images (0: none)
 */
public record ClassificationTaskConfig(String data, Integer batchSize, Integer augmentShift) {

  public ClassificationTaskConfig {
    data = data == null ? "mnist" : data;
    batchSize = batchSize == null ? 128 : batchSize;
    augmentShift = augmentShift == null ? 0 : augmentShift;
    if (batchSize < 1) {
      throw new IllegalArgumentException("classification task field `batch_size` must be >= 1, got " + batchSize);
    }
    if (augmentShift < 0 || augmentShift > 8) {
      throw new IllegalArgumentException("classification task field `augment_shift` must be in [0, 8], got "
          + augmentShift);
    }
  }
}
