package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.Bridge;
import dev.kiln.spi.process.AgmProcess;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One call to {@code Sampler.sample}: the model and the sample shape. Samplers keep x and
 * v in double; the model sees and returns float32 tensors, converted only here.
 */
final class PhaseSpaceRun {

  private final Denoiser denoiser;
  private final long[] shape;
  private final int size;

  PhaseSpaceRun(Denoiser denoiser, long[] shape, int steps) {
    if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException("sample shape must be [batch, ...] with positive sizes, got "
          + Arrays.toString(shape));
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (n > Integer.MAX_VALUE / 8) {
      throw new IllegalArgumentException("sample shape " + Arrays.toString(shape) + " is too large");
    }
    this.denoiser = denoiser;
    this.shape = shape.clone();
    this.size = (int) n;
  }

  int size() {
    return size;
  }

  /**
   * The prior state m₀ ~ N(0, Σ₀) per coordinate: all ε_x then all ε_v drawn in row-major order,
   * x = L_xx ε_x, v = L_xv ε_x + L_vv ε_v.
   *
   * @return {x, v}
   */
  double[][] prior(AgmProcess process, RandomGenerator rng) {
    Bridge b = process.at(0);
    double[] x = new double[size];
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      x[i] = rng.nextGaussian();
    }
    for (int i = 0; i < size; i++) {
      v[i] = b.lxv() * x[i] + b.lvv() * rng.nextGaussian();
      x[i] *= b.lxx();
    }
    return new double[][] {x, v};
  }

  /** The model output at (x, v, t). */
  double[] predict(double[] x, double[] v, double t) {
    Tensor out = denoiser.predict(tensor(x), tensor(v), t);
    if (out.size() != size) {
      throw new IllegalStateException("the denoiser returned " + out + " for input of shape "
          + Arrays.toString(shape));
    }
    return out.toDoubleArray();
  }


  /** {@code x} as a float32 tensor of the sample shape. */
  Tensor tensor(double[] x) {
    float[] f = new float[size];
    for (int i = 0; i < size; i++) {
      f[i] = (float) x[i];
    }
    return Tensor.of(f, shape);
  }
}
