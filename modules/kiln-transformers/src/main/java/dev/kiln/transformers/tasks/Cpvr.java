package dev.kiln.transformers.tasks;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Conditional pointer value retrieval (C-PVR, the task of Hyper-UT, arXiv 2310.08866; plain PVR of
 * Zhang et al. 2021 is the one-hop case). A sequence {@code x[0..L−1]} with values in
 * {@code {0..L−1}} is read by following pointers from position 0 while they point forward:
 * <pre>
 *   p = 0;  while x[p] > p: p = x[p]        (each assignment is one hop)
 *   label = x[p]
 * </pre>
 * Random sequences almost never need many hops, so {@link #sample} draws an example with an exact,
 * chosen hop count n: pick n distinct positions {@code p1 < … < pn} in {@code 1..L−1}, fill the rest
 * uniformly, set {@code x[0] = p1}, {@code x[p_k] = p_{k+1}} and {@code x[pn] = t} with t uniform in
 * {@code 0..pn}, which stops the chain at pn with label t.
 *
 * <p>Because no value exceeds L − 1, the last position never points forward, so the no-pointer
 * shortcut {@link #lastNonForwardValue} answers {@code x[L−1]}: right whenever the chain ends there,
 * which for n hops drawn from all of {@code 1..L−1} happens with probability n/(L − 1). With
 * {@code spreadEnd} the positions are drawn from {@code 1..E} instead, with the window end E uniform
 * in {@code n..L−1} per example: nothing in the sequence marks E, the chain rarely ends at L − 1,
 * and the shortcut falls to near chance at every hop count.
 *
 * @param length L, the sequence length (also the number of values and of classes)
 * @param spreadEnd draw the chain inside a window of random length, so it need not reach the end
 */
public record Cpvr(int length, boolean spreadEnd) {

  public Cpvr {
    if (length < 2) {
      throw new IllegalArgumentException("field `length` must be >= 2, got " + length);
    }
  }

  /** Chains over all of {@code 1..L−1}. */
  public Cpvr(int length) {
    this(length, false);
  }

  /**
   * One example.
   *
   * @param tokens x [L]
   * @param label the value where the chain stops
   * @param hops pointers followed
   */
  public record Example(int[] tokens, int label, int hops) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Example e && Arrays.equals(tokens, e.tokens) && label == e.label && hops == e.hops;
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(tokens) + 7 * label + hops;
    }

    @Override
    public String toString() {
      return Arrays.toString(tokens) + " -> " + label + " (" + hops + " hops)";
    }
  }

  /** The largest possible hop count, L − 1. */
  public int maxHops() {
    return length - 1;
  }

  /** An example with exactly {@code hops} hops (1 ≤ hops ≤ L − 1). */
  public Example sample(int hops, RandomGenerator rng) {
    if (hops < 1 || hops > maxHops()) {
      throw new IllegalArgumentException("hop count must be in [1, " + maxHops() + "], got " + hops);
    }
    int[] x = new int[length];
    for (int i = 0; i < length; i++) {
      x[i] = rng.nextInt(length);
    }
    int window = spreadEnd ? hops + rng.nextInt(length - hops) : length - 1;
    int[] chain = distinctSorted(hops, window, rng);
    x[0] = chain[0];
    for (int k = 0; k + 1 < hops; k++) {
      x[chain[k]] = chain[k + 1];
    }
    int last = chain[hops - 1];
    int label = rng.nextInt(last + 1);
    x[last] = label;
    return new Example(x, label, hops);
  }

  /** The hop count of any sequence. */
  public static int hops(int[] x) {
    int p = 0;
    int hops = 0;
    while (x[p] > p) {
      p = x[p];
      hops++;
    }
    return hops;
  }

  /** Where the chain of any sequence stops. */
  public static int stop(int[] x) {
    int p = 0;
    while (x[p] > p) {
      p = x[p];
    }
    return p;
  }

  /** The label of any sequence: the value where its chain stops. */
  public static int label(int[] x) {
    return x[stop(x)];
  }

  /**
   * A shortcut that needs no pointer following: the value at the last position whose value does not
   * point forward ({@code x[j]} for the largest j with {@code x[j] ≤ j}). With n hops, n of the L − 1
   * positions after the first lie on the chain and point forward except the last, so the shortcut is
   * right more often as n approaches L − 1 (about 92 % at 10 hops with L = 12, 17 % at 1 hop). As no
   * value exceeds L − 1, that last position is always L − 1.
   */
  public static int lastNonForwardValue(int[] x) {
    for (int j = x.length - 1; j > 0; j--) {
      if (x[j] <= j) {
        return x[j];
      }
    }
    return x[0];
  }

  /** {@code n} distinct positions from {@code 1..window}, ascending (a partial Fisher–Yates shuffle). */
  private static int[] distinctSorted(int n, int window, RandomGenerator rng) {
    int[] pool = new int[window];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = i + 1;
    }
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(pool.length - i);
      int t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    int[] out = Arrays.copyOf(pool, n);
    Arrays.sort(out);
    return out;
  }
}
