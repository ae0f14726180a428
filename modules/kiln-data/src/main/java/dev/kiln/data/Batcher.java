package dev.kiln.data;

import dev.kiln.runtime.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Shuffled mini-batches over {@code n} examples as a pure function of the global step: epoch
 * {@code e = step / stepsPerEpoch()} visits the examples in a Fisher–Yates permutation drawn from
 * {@code Seeds.rng(seed, "shuffle", e)}, and the step takes the {@code (step % stepsPerEpoch())}-th
 * slice of {@code batchSize} indices. The last incomplete batch of each epoch is dropped. Because no
 * state carries over between steps, a run resumed at step s sees exactly the batches it would have
 * seen had it never stopped. Safe to share between threads.
 */
public final class Batcher {

  private final int n;
  private final int batchSize;
  private final long seed;
  private volatile EpochOrder cached;

  /** The permutation of one epoch, computed once and reused while steps stay in that epoch. */
  private record EpochOrder(long epoch, int[] order) {}

  public Batcher(int n, int batchSize, long seed) {
    if (n <= 0) {
      throw new IllegalArgumentException("need at least one example to batch, got n = " + n);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    if (batchSize > n) {
      throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + n
          + " examples, so no full batch fits in an epoch");
    }
    this.n = n;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  /** Number of examples batched over. */
  public int size() {
    return n;
  }

  public int batchSize() {
    return batchSize;
  }

  public long seed() {
    return seed;
  }

  /** Full batches per epoch: {@code floor(n / batchSize)}. */
  public int stepsPerEpoch() {
    return n / batchSize;
  }

  /** The epoch that global step {@code step} falls in. */
  public long epoch(long step) {
    return checked(step) / stepsPerEpoch();
  }

  /** The {@code batchSize} example indices, each in [0, n), of global step {@code step}. */
  public int[] indices(long step) {
    long epoch = epoch(step);
    int from = (int) (step % stepsPerEpoch()) * batchSize;
    return Arrays.copyOfRange(order(epoch), from, from + batchSize);
  }

  private int[] order(long epoch) {
    EpochOrder c = cached;
    if (c == null || c.epoch() != epoch) {
      c = new EpochOrder(epoch, permutation(epoch));
      cached = c;
    }
    return c.order();
  }

  private int[] permutation(long epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rng = Seeds.rng(seed, "shuffle", epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static long checked(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be non-negative, got " + step);
    }
    return step;
  }
}
