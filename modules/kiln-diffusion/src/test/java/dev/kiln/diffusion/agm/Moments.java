package dev.kiln.diffusion.agm;

import dev.kiln.runtime.Tensor;
import java.util.Arrays;

/** Sample mean and standard deviation over every element, and path distances. */
final class Moments {

  private Moments() {}

  static double mean(Tensor t) {
    return Arrays.stream(t.toDoubleArray()).average().orElseThrow();
  }

  static double std(Tensor t) {
    double[] v = t.toDoubleArray();
    double m = mean(t);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
  }

  static double rms(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      double d = a.get(i) - b.get(i);
      s += d * d;
    }
    return Math.sqrt(s / a.size());
  }
}
