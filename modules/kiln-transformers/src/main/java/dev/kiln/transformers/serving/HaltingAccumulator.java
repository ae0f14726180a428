package dev.kiln.transformers.serving;

/**
 * The per-example ACT update of {@link dev.kiln.transformers.model.ActState} in Java, for a serving
 * loop that runs only the examples still running. Arithmetic is in float in the same order as the
 * graph, so the halting decisions and weights match the unrolled training graph.
 */
public final class HaltingAccumulator {

  private final int dim;
  private final float threshold;
  private final float[] cumulative;
  private final float[] remainder;
  private final int[] updates;
  private final boolean[] running;
  private final float[] output;

  /** State for {@code batch} examples whose CLS state has {@code dim} values; threshold 1 − ε. */
  public HaltingAccumulator(int batch, int dim, float threshold) {
    this.dim = dim;
    this.threshold = threshold;
    this.cumulative = new float[batch];
    this.remainder = new float[batch];
    this.updates = new int[batch];
    this.running = new boolean[batch];
    this.output = new float[batch * dim];
    java.util.Arrays.fill(running, true);
  }

  /**
   * One step for the running examples {@code active} (indices into the batch), with their halting
   * probabilities {@code p[k]} and CLS states {@code cls[k·dim …]}; {@code last} halts all of them.
   */
  public void update(int[] active, float[] p, float[] cls, boolean last) {
    for (int k = 0; k < active.length; k++) {
      int i = active[k];
      if (!running[i]) {
        throw new IllegalStateException("example " + i + " has already halted");
      }
      boolean halt = last || cumulative[i] + p[k] > threshold;
      float cont = halt ? 0f : 1f;
      cumulative[i] = cumulative[i] + p[k] * cont;
      float r = halt ? 1f - cumulative[i] : 0f;
      float w = p[k] * cont + r;
      updates[i]++;
      remainder[i] += r;
      for (int j = 0; j < dim; j++) {
        output[i * dim + j] += w * cls[k * dim + j];
      }
      running[i] = !halt;
    }
  }

  /** The examples still running, ascending. */
  public int[] running() {
    int n = 0;
    for (boolean r : running) {
      n += r ? 1 : 0;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < running.length; i++) {
      if (running[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** o [batch, dim]: the halting-weighted CLS states. */
  public float[] output() {
    return output.clone();
  }

  /** Steps taken per example. */
  public int[] updates() {
    return updates.clone();
  }

  /** N + R per example. */
  public float[] ponder() {
    float[] out = new float[updates.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = updates[i] + remainder[i];
    }
    return out;
  }
}
