package dev.kiln.train;

import dev.kiln.runtime.Tensor;
import java.nio.FloatBuffer;
import java.util.Collection;

/** Clipping of gradients by their global L2 norm (PyTorch's {@code clip_grad_norm_}). */
public final class GradientClipping {

  private GradientClipping() {}

  /** The L2 norm over all gradients, in double precision. */
  public static double globalNorm(Collection<Tensor> grads) {
    double sum = 0;
    for (Tensor t : grads) {
      FloatBuffer g = t.floats();
      for (int i = 0, n = g.capacity(); i < n; i++) {
        float v = g.get(i);
        sum += (double) v * v;
      }
    }
    return Math.sqrt(sum);
  }

  /** Scales the gradients in place so their global norm is at most {@code maxNorm}; returns the norm before. */
  public static double clip(Collection<Tensor> grads, double maxNorm) {
    double norm = globalNorm(grads);
    if (norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (Tensor t : grads) {
        FloatBuffer g = t.floats();
        for (int i = 0, n = g.capacity(); i < n; i++) {
          g.put(i, g.get(i) * scale);
        }
      }
    }
    return norm;
  }
}
