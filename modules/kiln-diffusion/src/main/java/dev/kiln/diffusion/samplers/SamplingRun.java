package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.PredictionType;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One call to {@code Sampler.sample}, for every kind of sampler: the model and the sample shape.
 * Samplers keep their state (x, and v for phase-space samplers) in double; the model sees and returns
 * float32 tensors of that shape, converted only here.
 */
public final class SamplingRun {

  private final Denoiser denoiser;
  private final long[] shape;
  private final int size;

  public SamplingRun(Denoiser denoiser, long[] shape, int steps) {
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

  /** Elements of one state tensor. */
  public int size() {
    return size;
  }

  int batch() {
    return (int) shape[0];
  }

  /** {@code scale·z}, z standard normal drawn element by element in row-major order. */
  public double[] gaussian(RandomGenerator rng, double scale) {
    double[] z = new double[size];
    for (int i = 0; i < size; i++) {
      z[i] = scale * rng.nextGaussian();
    }
    return z;
  }

  /** The model output at {@code x} (already in the model's input scale) and training timestep t. */
  public double[] predict(double[] x, double t) {
    return checked(denoiser.predict(tensor(x), t));
  }

  /** The model output at the phase-space state (x, v) and process time t. */
  public double[] predict(double[] x, double[] v, double t) {
    return checked(denoiser.predict(tensor(x), tensor(v), t));
  }

  private double[] checked(Tensor out) {
    if (out.size() != size) {
      throw new IllegalStateException("the denoiser returned " + out + " for input of shape "
          + Arrays.toString(shape));
    }
    return out.toDoubleArray();
  }

  /**
   * The model's x̂₀ and ε̂ at x in σ-scale (x = x₀ + σ·ε), for the samplers that step in σ. The model
   * is called on x/√(σ²+1), the variance-preserving x_t with ᾱ = 1/(σ²+1) that it was trained on.
   */
  Denoised denoiseAtSigma(PredictionType type, double[] x, double sigma, double t) {
    double scale = 1 / Math.sqrt(sigma * sigma + 1);
    double[] in = new double[size];
    for (int i = 0; i < size; i++) {
      in[i] = x[i] * scale;
    }
    return Denoised.of(type, predict(in, t), in, scale * scale);
  }

  /** {@code x} as a float32 tensor of the sample shape. */
  public Tensor tensor(double[] x) {
    float[] f = new float[size];
    for (int i = 0; i < size; i++) {
      f[i] = (float) x[i];
    }
    return Tensor.of(f, shape);
  }
}
