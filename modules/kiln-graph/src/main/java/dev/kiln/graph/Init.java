package dev.kiln.graph;

import java.util.random.RandomGenerator;

/**
 * How a parameter is initialised. Each scheme draws {@code count} values from a seeded generator, so
 * the same seed gives the same weights.
 */
public sealed interface Init {

  /** Draws the initial values. */
  double[] sample(int count, Fans fans, RandomGenerator rng);

  /** All zeros. */
  record Zeros() implements Init {
    @Override
    public double[] sample(int count, Fans fans, RandomGenerator rng) {
      return new double[count];
    }
  }

  /** Every element {@code value}. */
  record Constant(double value) implements Init {
    @Override
    public double[] sample(int count, Fans fans, RandomGenerator rng) {
      double[] v = new double[count];
      java.util.Arrays.fill(v, value);
      return v;
    }
  }

  /** N(0, std²). */
  record Normal(double std) implements Init {
    @Override
    public double[] sample(int count, Fans fans, RandomGenerator rng) {
      double[] v = new double[count];
      for (int i = 0; i < count; i++) {
        v[i] = std * rng.nextGaussian();
      }
      return v;
    }
  }

  /** N(0, std²) restricted to [lo·std, hi·std] by rejection. */
  record TruncatedNormal(double std, double lo, double hi) implements Init {
    public TruncatedNormal {
      if (!(lo < hi)) {
        throw new IllegalArgumentException("truncation bounds need lo < hi, got " + lo + ", " + hi);
      }
    }

    @Override
    public double[] sample(int count, Fans fans, RandomGenerator rng) {
      double[] v = new double[count];
      for (int i = 0; i < count; i++) {
        double z;
        do {
          z = rng.nextGaussian();
        } while (z < lo || z > hi);
        v[i] = std * z;
      }
      return v;
    }
  }

  /**
   * N(0, std²) restricted to the absolute interval [lo, hi] by rejection: the law of PyTorch's
   * {@code trunc_normal_(std=…, a=lo, b=hi)}. PyTorch's defaults a = −2, b = 2 are absolute values, so
   * for std = 0.02 the bounds lie 100σ out and the law is N(0, std²) to every practical purpose, unlike
   * {@link TruncatedNormal}, whose bounds are multiples of std.
   */
  record BoundedNormal(double std, double lo, double hi) implements Init {
    public BoundedNormal {
      if (!(std > 0) || !(lo < 0) || !(hi > 0)) {
        throw new IllegalArgumentException("a bounded normal needs std > 0 and lo < 0 < hi, got std " + std
            + ", bounds " + lo + ", " + hi);
      }
    }

    @Override
    public double[] sample(int count, Fans fans, RandomGenerator rng) {
      double[] v = new double[count];
      for (int i = 0; i < count; i++) {
        double x;
        do {
          x = std * rng.nextGaussian();
        } while (x < lo || x > hi);
        v[i] = x;
      }
      return v;
    }
  }

  /** U(low, high). */
  record Uniform(double low, double high) implements Init {
    @Override
    public double[] sample(int count, Fans fans, RandomGenerator rng) {
      double[] v = new double[count];
      for (int i = 0; i < count; i++) {
        v[i] = low + (high - low) * rng.nextDouble();
      }
      return v;
    }
  }

  /** Glorot: U(±gain·√(6/(fan_in+fan_out))). */
  record XavierUniform(double gain) implements Init {
    @Override
    public double[] sample(int count, Fans fans, RandomGenerator rng) {
      double a = gain * Math.sqrt(6.0 / (fans.in() + fans.out()));
      return new Uniform(-a, a).sample(count, fans, rng);
    }
  }

  /**
   * He: U(±√(6 / ((1+a²)·fan_in))) for a leaky-ReLU slope {@code a}. With {@code a = √5} this is
   * PyTorch's default Linear/Conv init, U(±1/√fan_in).
   */
  record KaimingUniform(double a) implements Init {
    @Override
    public double[] sample(int count, Fans fans, RandomGenerator rng) {
      double bound = Math.sqrt(6.0 / ((1 + a * a) * fans.in()));
      return new Uniform(-bound, bound).sample(count, fans, rng);
    }
  }

  /** U(±1/√fan_in): PyTorch's default for Linear and Conv biases. */
  record FanInUniform() implements Init {
    @Override
    public double[] sample(int count, Fans fans, RandomGenerator rng) {
      double bound = 1.0 / Math.sqrt(fans.in());
      return new Uniform(-bound, bound).sample(count, fans, rng);
    }
  }

  static Init zeros() {
    return new Zeros();
  }

  static Init ones() {
    return new Constant(1);
  }

  static Init normal(double std) {
    return new Normal(std);
  }

  static Init truncatedNormal(double std) {
    return new TruncatedNormal(std, -2, 2);
  }

  /**
   * PyTorch's {@code trunc_normal_(std=std)}: N(0, std²) truncated at ±2 in absolute value. Kept apart
   * from {@link #truncatedNormal}, whose ±2σ bounds shipped models were trained with.
   */
  static Init torchTruncatedNormal(double std) {
    return new BoundedNormal(std, -2, 2);
  }

  static Init xavierUniform() {
    return new XavierUniform(1);
  }

  static Init kaimingUniform() {
    return new KaimingUniform(Math.sqrt(5));
  }
}
