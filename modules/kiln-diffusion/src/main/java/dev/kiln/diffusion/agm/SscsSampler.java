package dev.kiln.diffusion.agm;

import dev.kiln.diffusion.samplers.SamplingRun;
import dev.kiln.spi.process.DeType;
import dev.kiln.spi.StateSpace;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.random.RandomGenerator;

/**
 * Symmetric splitting for the AGM SDE (SSCS, after Dockhorn et al.'s CLD sampler; arXiv 2310.07805,
 * {@code sscs}). A step from t to t + h splits the dynamics into the free part
 * {@code dx = v dt, dv = g dW}, solved exactly, and the kick {@code dv = f dt}:
 *
 * <pre>
 *   half free step over [t, t + h/2]:  x ← x + v·h/2 + n_x,   v ← v + n_v
 *   kick at t + h/2:                   v ← v + N·D(m, t + h/2)·h
 *   half free step over [t + h/2, t + h]
 * </pre>
 *
 * where (n_x, n_v) is Gaussian with covariance ∫ [(b−s)², (b−s); (b−s), 1]·g(s)² ds over the
 * half step [a, b] (exact for g(s) = p(1−s)). With {@code predict_x1} the n-th evaluation is made at
 * t_hop on the state reached there and returns x̂₁; otherwise n steps are taken, the last to t_end.
 */
public final class SscsSampler extends AgmSampler {

  private static final GaussLegendre EXACT_QUARTIC = new GaussLegendre(4, 1);

  public SscsSampler(AgmSamplerConfig config) {
    super(config);
    if (config.process().deType() != DeType.SDE) {
      throw new IllegalArgumentException("agm-sscs samples the SDE; the process field `de_type` must be sde, got "
          + config.process().deType().id());
    }
  }

  @Override
  public Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng) {
    SamplingRun run = new SamplingRun(denoiser, shape, steps);
    double[] ts = timesteps(steps);
    double[] hs = stepLengths(ts);
    double[][] m = prior(process(), run.size(), rng);
    double[] x = m[0];
    double[] v = m[1];
    boolean hop = config().predictX1();
    int kicks = hop ? steps - 1 : steps;
    for (int i = 0; i < kicks; i++) {
      double t = ts[i];
      double h = hs[i];
      double mid = t + h / 2;
      freeStep(x, v, t, mid, rng);
      double[] out = run.predict(x, v, mid);
      double kick = process().at(mid).normalizer() * h;
      for (int j = 0; j < v.length; j++) {
        v[j] += kick * out[j];
      }
      freeStep(x, v, mid, t + h, rng);
    }
    if (hop) {
      double t = ts[steps - 1];
      return run.tensor(process().at(t).estimateX1(run.predict(x, v, t), x, v));
    }
    return run.tensor(x);
  }

  /** The exact solution of dx = v dt, dv = g dW from a to b. */
  private void freeStep(double[] x, double[] v, double a, double b, RandomGenerator rng) {
    double h = b - a;
    double p = process().p();
    java.util.function.DoubleUnaryOperator g2 = s -> p * p * (1 - s) * (1 - s);
    double qxx = EXACT_QUARTIC.integrate(s -> (b - s) * (b - s) * g2.applyAsDouble(s), a, b);
    double qxv = EXACT_QUARTIC.integrate(s -> (b - s) * g2.applyAsDouble(s), a, b);
    double qvv = EXACT_QUARTIC.integrate(g2, a, b);
    double c11 = Math.sqrt(qxx);
    double c21 = c11 == 0 ? 0 : qxv / c11;
    double c22 = Math.sqrt(Math.max(0, qvv - c21 * c21));
    for (int j = 0; j < x.length; j++) {
      double zx = rng.nextGaussian();
      double zv = rng.nextGaussian();
      x[j] += v[j] * h + c11 * zx;
      v[j] += c21 * zx + c22 * zv;
    }
  }

  @Override
  public Promises promises() {
    return Promises.sde(StateSpace.PHASE_SPACE);
  }
}
