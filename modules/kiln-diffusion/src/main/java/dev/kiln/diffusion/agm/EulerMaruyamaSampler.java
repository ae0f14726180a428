package dev.kiln.diffusion.agm;

import dev.kiln.diffusion.samplers.SamplingRun;
import dev.kiln.spi.process.DeType;
import dev.kiln.spi.StateSpace;
import dev.kiln.spi.process.Bridge;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.random.RandomGenerator;

/**
 * Euler–Maruyama for AGM (arXiv 2310.07805, {@code em} sampler): with f = N_t·D(m, t) the model's
 * acceleration,
 *
 * <pre>
 *   x ← x + v·h,   v ← v + f·h + g(t)·√h·z
 * </pre>
 *
 * with z standard normal for an SDE-trained model, and no noise (Euler on the probability-flow ODE)
 * for a probability-flow model.
 */
public final class EulerMaruyamaSampler extends AgmSampler {

  public EulerMaruyamaSampler(AgmSamplerConfig config) {
    super(config);
  }

  @Override
  public Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng) {
    SamplingRun run = new SamplingRun(denoiser, shape, steps);
    double[] ts = timesteps(steps);
    double[] hs = stepLengths(ts);
    double[][] m = prior(process(), run.size(), rng);
    double[] x = m[0];
    double[] v = m[1];
    boolean sde = promises().stochastic();
    for (int i = 0; i < steps; i++) {
      Bridge b = process().at(ts[i]);
      double[] out = run.predict(x, v, ts[i]);
      if (i == steps - 1 && config().predictX1()) {
        return run.tensor(b.estimateX1(out, x, v));
      }
      double h = hs[i];
      double n = b.normalizer();
      double noise = sde ? process().diffusion(ts[i]) * Math.sqrt(h) : 0;
      for (int j = 0; j < x.length; j++) {
        x[j] += v[j] * h;
        v[j] += n * out[j] * h;
        if (sde) {
          v[j] += noise * rng.nextGaussian();
        }
      }
    }
    return run.tensor(x);
  }

  @Override
  public Promises promises() {
    return process().deType() == DeType.SDE ? Promises.sde(StateSpace.PHASE_SPACE) : Promises.ode(StateSpace.PHASE_SPACE, 1);
  }
}
