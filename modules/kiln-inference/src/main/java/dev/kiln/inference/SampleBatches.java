package dev.kiln.inference;

import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Sampler;

/**
 * A sampling job cut into fixed-size batches: {@code count} samples of {@code model} with {@code sampler}
 * and {@code steps} steps, batch {@code k} holding samples {@code [k·size, min((k+1)·size, count))} and
 * drawing its noise from {@code (seed, k)} alone (batch 0 from the seed itself, so up to {@code size}
 * samples are what one unbatched call gives). A batch's samples therefore depend only on the job and its
 * index, never on which batches were drawn before it or where: {@code kiln sample} draws the batches in
 * order, a Spark job draws them as shards spread over any number of executors, and both give the same bits.
 *
 * @param label the class every sample is drawn for, or null: every class in turn (sample i gets i mod classes)
 * @param guidance classifier-free guidance scale (1: none)
 * @param size samples per batch
 */
public record SampleBatches(GenerativeModel model, Sampler sampler, int steps, long count, long seed, Integer label,
    double guidance, int size) {

  /** The batch size of {@code kiln sample} and {@code kiln eval}, and the shard size of the Spark jobs. */
  public static final int DEFAULT_SIZE = 4096;

  public SampleBatches {
    if (count < 1) {
      throw new IllegalArgumentException("sample count must be at least 1, got " + count);
    }
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + size);
    }
  }

  /** Number of batches. */
  public long batches() {
    return (count + size - 1) / size;
  }

  /** The index of batch {@code k}'s first sample. */
  public long offset(long k) {
    return k * size;
  }

  /** The samples in batch {@code k}. */
  public int size(long k) {
    check(k);
    return (int) Math.min(size, count - offset(k));
  }

  /** The noise seed of batch {@code k}. */
  public long seed(long k) {
    return k == 0 ? seed : Seeds.mix(seed, "sample-batch", k);
  }

  /** Labels of samples {@code [offset, offset + n)} (null for an unconditional model). */
  public long[] labels(long offset, int n) {
    if (model.numClasses() == 0) {
      return null;
    }
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = label != null ? label : (offset + i) % model.numClasses();
    }
    return labels;
  }

  /** Draws batch {@code k}: samples {@code [size(k), sample shape...]}. */
  public Tensor draw(long k) {
    int n = size(k);
    return model.sample(sampler, model.denoiser(labels(offset(k), n), guidance), n, steps, seed(k));
  }

  private void check(long k) {
    if (k < 0 || k >= batches()) {
      throw new IndexOutOfBoundsException("batch " + k + " of " + batches());
    }
  }
}
