package dev.kiln.transformers.tasks;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The C-PVR task as a recipe writes it.
 *
 * @param length L, sequence length, values and classes (12)
 * @param trainHops hop counts of training examples, drawn uniformly ([1, 2, 3])
 * @param testHops hop counts evaluated, each reported on its own ([1 … 6])
 * @param batchSize training examples per step (64)
 * @param ponderWeight τ, weight of the mean ponder cost N + R in the loss, for architectures with ACT (0.01)
 * @param testExamples fresh examples per evaluated hop count (1000)
 * @param testSeed seed of the test examples, the same for every run so models are compared on one set
 * @param spreadChainEnd draw each chain inside a window of random length ({@link Cpvr#spreadEnd}), for
 *     training and test alike, so the no-pointer shortcut is near chance (false)
 */
public record CpvrTaskConfig(Integer length, List<Integer> trainHops, List<Integer> testHops, Integer batchSize,
    Double ponderWeight, Integer testExamples, Long testSeed, Boolean spreadChainEnd) {

  public CpvrTaskConfig {
    length = length == null ? 12 : length;
    trainHops = trainHops == null ? List.of(1, 2, 3) : List.copyOf(trainHops);
    testHops = testHops == null ? IntStream.rangeClosed(1, Math.min(6, length - 1)).boxed().toList()
        : List.copyOf(testHops);
    batchSize = batchSize == null ? 64 : batchSize;
    ponderWeight = ponderWeight == null ? 0.01 : ponderWeight;
    testExamples = testExamples == null ? 1000 : testExamples;
    testSeed = testSeed == null ? 20231013L : testSeed;
    spreadChainEnd = spreadChainEnd != null && spreadChainEnd;
    if (length < 2) {
      throw new IllegalArgumentException("cpvr task field `length` must be >= 2, got " + length);
    }
    checkHops("train_hops", trainHops, length);
    checkHops("test_hops", testHops, length);
    if (batchSize < 1) {
      throw new IllegalArgumentException("cpvr task field `batch_size` must be >= 1, got " + batchSize);
    }
    if (ponderWeight < 0) {
      throw new IllegalArgumentException("cpvr task field `ponder_weight` must be >= 0, got " + ponderWeight);
    }
    if (testExamples < 1) {
      throw new IllegalArgumentException("cpvr task field `test_examples` must be >= 1, got " + testExamples);
    }
  }

  private static void checkHops(String field, List<Integer> hops, int length) {
    if (hops.isEmpty()) {
      throw new IllegalArgumentException("cpvr task field `" + field + "` must not be empty");
    }
    for (int h : hops) {
      if (h < 1 || h > length - 1) {
        throw new IllegalArgumentException("cpvr task field `" + field + "` holds " + h + "; hop counts must be in [1, "
            + (length - 1) + "] for length " + length);
      }
    }
  }
}
