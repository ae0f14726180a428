/**
 * Training data: 2-D toy distributions ({@link dev.kiln.data.Toy2D}), the bundled MNIST digits with a
 * fixed train/test split ({@link dev.kiln.data.MnistDigits}) and stateless seeded batching
 * ({@link dev.kiln.data.Batcher}) that makes resuming at any step exact.
 */
module dev.kiln.data {
  requires transitive dev.kiln.runtime;

  exports dev.kiln.data;
}
