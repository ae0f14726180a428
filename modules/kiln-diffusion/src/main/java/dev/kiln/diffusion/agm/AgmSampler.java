package dev.kiln.diffusion.agm;

import dev.kiln.spi.process.AgmProcess;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.process.Bridge;
import java.util.random.RandomGenerator;

/**
 * What the AGM samplers share (arXiv 2310.07805, §4; see {@link AgmProcess}): the evaluation times
 * and step lengths of {@link AgmSamplerConfig}, and the process the model was trained on.
 */
public abstract sealed class AgmSampler implements Sampler
    permits EulerMaruyamaSampler, SscsSampler, GddimSampler {

  private final AgmSamplerConfig config;

  AgmSampler(AgmSamplerConfig config) {
    this.config = config;
  }

  public AgmSamplerConfig config() {
    return config;
  }

  public AgmProcess process() {
    return config.process();
  }

  /** The n evaluation times t₀ … t_hop. */
  public double[] timesteps(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    return config.timeGrid().nodes(steps, config.t0(), config.tHop());
  }

  /** Step lengths: t_{i+1} − t_i, and t_end − t_hop for the last. */
  static double[] stepLengths(double[] ts, double tEnd) {
    double[] h = new double[ts.length];
    for (int i = 0; i + 1 < ts.length; i++) {
      h[i] = ts[i + 1] - ts[i];
    }
    h[ts.length - 1] = tEnd - ts[ts.length - 1];
    return h;
  }

  double[] stepLengths(double[] ts) {
    return stepLengths(ts, config.tEnd());
  }

  /**
   * The prior state m₀ ~ N(0, Σ₀) per coordinate: all ε_x then all ε_v drawn in row-major order,
   * x = L_xx ε_x, v = L_xv ε_x + L_vv ε_v.
   *
   * @return {x, v}
   */
  static double[][] prior(AgmProcess process, int size, RandomGenerator rng) {
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
  }}
