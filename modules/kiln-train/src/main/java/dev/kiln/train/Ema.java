package dev.kiln.train;

import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential moving average of the weights, {@code ema ← d·ema + (1−d)·w} after every update, with
 * the warm-up {@code d_t = min(d, (1+t)/(10+t))} so early averages are not dominated by the
 * initialisation.
 */
public final class Ema {

  private final double decay;
  private final Map<String, Tensor> average = new LinkedHashMap<>();

  /** Starts the average at the current weights. */
  public Ema(double decay, Weights live) {
    if (decay <= 0 || decay >= 1) {
      throw new IllegalArgumentException("ema_decay must be in (0, 1), got " + decay);
    }
    this.decay = decay;
    live.asMap().forEach((k, v) -> average.put(k, v.copy()));
  }

  /** Folds in the weights after update {@code t} (1-based). */
  public void update(Weights live, long t) {
    float d = (float) Math.min(decay, (1.0 + t) / (10.0 + t));
    for (Map.Entry<String, Tensor> e : average.entrySet()) {
      FloatBuffer a = e.getValue().floats();
      FloatBuffer w = live.get(e.getKey()).floats();
      for (int i = 0, n = a.capacity(); i < n; i++) {
        a.put(i, d * a.get(i) + (1 - d) * w.get(i));
      }
    }
  }

  /** The averaged weights (live tensors). */
  public Weights weights() {
    return Weights.of(average);
  }
}
