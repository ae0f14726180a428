package com.example.heun;

import dev.kiln.runtime.Tensor;
import dev.kiln.spi.StateSpace;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.random.RandomGenerator;

/**
 * Heun's second-order method on the probability-flow ODE (Karras et al. 2022, Algorithm 1 without
 * churn): in the variance-exploding view x = x_t/√ᾱ with noise level σ, the denoised estimate is
 * D = x − σ·ε̂ and dx/dσ = (x − D)/σ; each step takes an Euler step and corrects it with the slope at
 * its end, except the last step to σ = 0, which is plain Euler.
 */
public final class HeunSampler implements Sampler {

  private final double[] alphaBar;

  public HeunSampler(HeunConfig c) {
    int n = c.numTrainTimesteps();
    alphaBar = new double[n];
    double prod = 1;
    for (int i = 0; i < n; i++) {
      prod *= 1 - (c.betaStart() + (c.betaEnd() - c.betaStart()) * i / (n - 1));
      alphaBar[i] = prod;
    }
  }

  private double sigma(int t) {
    return Math.sqrt((1 - alphaBar[t]) / alphaBar[t]);
  }

  /** The (fractional) timestep whose σ, read linearly between integer timesteps, equals {@code s}. */
  private double timestep(double s) {
    for (int t = 0; t < alphaBar.length - 1; t++) {
      if (sigma(t + 1) >= s) {
        return t + (s - sigma(t)) / (sigma(t + 1) - sigma(t));
      }
    }
    return alphaBar.length - 1;
  }

  /** D(x; σ) from the ε-model, which sees x scaled back to √ᾱ·x. */
  private double[] denoise(Denoiser d, double[] x, double s, long[] shape) {
    float[] in = new float[x.length];
    double scale = 1 / Math.sqrt(s * s + 1);
    for (int i = 0; i < x.length; i++) {
      in[i] = (float) (x[i] * scale);
    }
    Tensor eps = d.predict(Tensor.of(in, shape), timestep(s));
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] - s * eps.getFloat(i);
    }
    return out;
  }

  @Override
  public Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng) {
    int last = alphaBar.length - 1;
    double[] sig = new double[steps + 1];
    for (int i = 0; i < steps; i++) {
      sig[i] = sigma((int) Math.round(last - (double) last * i / steps));
    }
    sig[steps] = 0;
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextGaussian() * sig[0];
    }
    for (int i = 0; i < steps; i++) {
      double[] d0 = denoise(denoiser, x, sig[i], shape);
      double h = sig[i + 1] - sig[i];
      double[] euler = new double[n];
      double[] slope = new double[n];
      for (int j = 0; j < n; j++) {
        slope[j] = (x[j] - d0[j]) / sig[i];
        euler[j] = x[j] + h * slope[j];
      }
      if (sig[i + 1] == 0) {
        x = euler;
        continue;
      }
      double[] d1 = denoise(denoiser, euler, sig[i + 1], shape);
      for (int j = 0; j < n; j++) {
        x[j] = x[j] + h * 0.5 * (slope[j] + (euler[j] - d1[j]) / sig[i + 1]);
      }
    }
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) x[i];
    }
    return Tensor.of(out, shape);
  }

  /** Two model calls per step, one for the last (Euler) step. */
  @Override
  public int evaluations(int steps) {
    return 2 * steps - 1;
  }

  @Override
  public Promises promises() {
    return Promises.ode(StateSpace.POSITION, 2);
  }
}
