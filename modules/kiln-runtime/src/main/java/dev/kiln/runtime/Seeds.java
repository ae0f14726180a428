package dev.kiln.runtime;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Derives independent random streams from one run seed. A stream is named by its purpose and
 * position ({@code rng(seed, "batch", step)}), so a run can resume at any step without saving
 * generator state: the same (seed, purpose, step) always gives the same numbers.
 */
public final class Seeds {

  private Seeds() {}

  /** A SplitMix64 mix of the seed, a purpose string and any number of positions. */
  public static long mix(long seed, String purpose, long... positions) {
    long z = finish(seed * 0x9E3779B97F4A7C15L + purpose.hashCode());
    for (long p : positions) {
      z = finish(z ^ (p + 0x9E3779B97F4A7C15L));
    }
    return z;
  }

  /** A generator for (seed, purpose, positions). */
  public static SplittableRandom rng(long seed, String purpose, long... positions) {
    return new SplittableRandom(mix(seed, purpose, positions));
  }

  /** {@code k} distinct indices of [0, n) from {@code rng}, in draw order (a partial Fisher–Yates shuffle). */
  public static int[] distinct(SplittableRandom rng, int n, int k) {
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("cannot draw " + k + " distinct indices out of " + n);
    }
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    return Arrays.copyOf(all, k);
  }

  private static long finish(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
