package dev.kiln.transformers.tasks;

/**
 * The ponder-classification task as a recipe writes it.
 *
 * @param data the dataset (mnist)
 * @param batchSize examples per step (128)
 * @param augmentShift largest random shift in pixels of training images (0)
 * @param ponderWeight τ, weight of the mean ponder cost in the loss (0.01)
 */
public record PonderClassificationTaskConfig(String data, Integer batchSize, Integer augmentShift,
    Double ponderWeight) {

  public PonderClassificationTaskConfig {
    data = data == null ? "mnist" : data;
    batchSize = batchSize == null ? 128 : batchSize;
    augmentShift = augmentShift == null ? 0 : augmentShift;
    ponderWeight = ponderWeight == null ? 0.01 : ponderWeight;
    if (ponderWeight < 0) {
      throw new IllegalArgumentException("ponder-classification task field `ponder_weight` must be >= 0, got "
          + ponderWeight);
    }
  }
}
