package dev.kiln.nerf.ssd;

import java.util.random.RandomGenerator;

/**
 * Per-scene codes with their own Adam state, as SSDNeRF caches them between outer iterations
 * (paper Algorithm 1): each scene's moments and step count persist, so a scene revisited after
 * many iterations resumes its optimisation where it stopped.
 */
final class CodeBank {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private final float[][] codes;
  private final float[][] m;
  private final float[][] v;
  private final int[] steps;

  /** {@code scenes} codes of {@code size} values, uniform in ±{@code init}. */
  CodeBank(int scenes, int size, double init, RandomGenerator rng) {
    codes = new float[scenes][size];
    m = new float[scenes][size];
    v = new float[scenes][size];
    steps = new int[scenes];
    for (float[] c : codes) {
      for (int i = 0; i < size; i++) {
        c[i] = (float) (init * (2 * rng.nextDouble() - 1));
      }
    }
  }

  /** Codes given as they are (fresh Adam state). */
  CodeBank(float[][] initial) {
    codes = new float[initial.length][];
    for (int i = 0; i < initial.length; i++) {
      codes[i] = initial[i].clone();
    }
    m = new float[initial.length][initial[0].length];
    v = new float[initial.length][initial[0].length];
    steps = new int[initial.length];
  }

  int scenes() {
    return codes.length;
  }

  /** Whether scene {@code s} has not taken a step yet. */
  boolean fresh(int s) {
    return steps[s] == 0;
  }

  /** Replaces the code of scene {@code s}, which must not have taken a step yet. */
  void reset(int s, float[] code) {
    if (!fresh(s)) {
      throw new IllegalStateException("scene " + s + " has taken " + steps[s] + " steps; its code is not reset");
    }
    System.arraycopy(code, 0, codes[s], 0, code.length);
  }

  /** The live code of scene {@code s}. */
  float[] code(int s) {
    return codes[s];
  }

  /** One Adam step on scene {@code s} with gradient {@code grad[offset, offset + size)}. */
  void step(int s, float[] grad, int offset, double lr) {
    steps[s]++;
    float[] c = codes[s];
    float[] ms = m[s];
    float[] vs = v[s];
    double bc1 = 1 - Math.pow(BETA1, steps[s]);
    double bc2 = 1 - Math.pow(BETA2, steps[s]);
    for (int i = 0; i < c.length; i++) {
      double gi = grad[offset + i];
      ms[i] = (float) (BETA1 * ms[i] + (1 - BETA1) * gi);
      vs[i] = (float) (BETA2 * vs[i] + (1 - BETA2) * gi * gi);
      c[i] -= (float) (lr * (ms[i] / bc1) / (Math.sqrt(vs[i] / bc2) + EPS));
    }
  }
}
