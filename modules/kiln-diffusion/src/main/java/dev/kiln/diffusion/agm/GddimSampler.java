package dev.kiln.diffusion.agm;

import dev.kiln.diffusion.samplers.SamplingRun;
import dev.kiln.spi.process.DeType;
import dev.kiln.spi.StateSpace;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.random.RandomGenerator;

/**
 * The multistep exponential integrator of AGM's probability-flow ODE (gDDIM, Zhang et al. arXiv
 * 2206.05564, as used by arXiv 2310.07805 §4). The ODE is {@code dx = v dt, dv = N(t)·D(m, t) dt}
 * with D the network output; its free part has the transition Φ(t+h, t) = [[1, h], [0, 1]], and D is
 * extrapolated over the last r + 1 evaluations by the Lagrange polynomials π_j on the nodes
 * t_i, t_{i−1}, …, t_{i−r} (r = {@code gddim_order}, lowered to i at the start):
 *
 * <pre>
 *   x ← x + h·v + Σ_j c01_j·D_{i−j},   c01_j = ∫_{t_i}^{t_i+h} (t_i + h − s)·N(s)·π_j(s) ds
 *   v ← v     + Σ_j c11_j·D_{i−j},     c11_j = ∫_{t_i}^{t_i+h} N(s)·π_j(s) ds
 * </pre>
 *
 * The coefficients are computed once per run by composite Gauss–Legendre quadrature (8 points × 4
 * panels per step); state and coefficients are double. With r = 0 and a model output that is
 * constant in time the step is exact. Needs a probability-flow model.
 */
public final class GddimSampler extends AgmSampler {

  private static final GaussLegendre QUADRATURE = new GaussLegendre(8, 4);

  public GddimSampler(AgmSamplerConfig config) {
    super(config);
    if (config.process().deType() != DeType.PROB_ODE) {
      throw new IllegalArgumentException("agm-gddim integrates the probability-flow ODE; the process field"
          + " `de_type` must be prob_ode, got " + config.process().deType().id());
    }
  }

  /**
   * The step coefficients: {@code [i][j] = {c01_j, c11_j}} for step i and the output j evaluations back.
   */
  public double[][][] coefficients(int steps) {
    double[] ts = timesteps(steps);
    double[] hs = stepLengths(ts);
    double[][][] c = new double[steps][][];
    for (int i = 0; i < steps; i++) {
      int r = Math.min(i, config().gddimOrder());
      double end = ts[i] + hs[i];
      c[i] = new double[r + 1][];
      for (int j = 0; j <= r; j++) {
        int at = i;
        int jj = j;
        java.util.function.DoubleUnaryOperator weighted = s -> process().at(s).normalizer()
            * lagrange(ts, at, r, jj, s);
        double c11 = QUADRATURE.integrate(weighted, ts[i], end);
        double c01 = QUADRATURE.integrate(s -> (end - s) * weighted.applyAsDouble(s), ts[i], end);
        c[i][j] = new double[] {c01, c11};
      }
    }
    return c;
  }

  /** π_j(s) on the nodes t_i, …, t_{i−r}: 1 at t_{i−j}, 0 at the others. */
  private static double lagrange(double[] ts, int i, int r, int j, double s) {
    double prod = 1;
    for (int k = 0; k <= r; k++) {
      if (k != j) {
        prod *= (s - ts[i - k]) / (ts[i - j] - ts[i - k]);
      }
    }
    return prod;
  }

  @Override
  public Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng) {
    SamplingRun run = new SamplingRun(denoiser, shape, steps);
    double[] ts = timesteps(steps);
    double[] hs = stepLengths(ts);
    double[][][] coef = coefficients(steps);
    double[][] m = prior(process(), run.size(), rng);
    double[] x = m[0];
    double[] v = m[1];
    Deque<double[]> outputs = new ArrayDeque<>();
    for (int i = 0; i < steps; i++) {
      double[] out = run.predict(x, v, ts[i]);
      if (i == steps - 1 && config().predictX1()) {
        return run.tensor(process().at(ts[i]).estimateX1(out, x, v));
      }
      outputs.addFirst(out);
      while (outputs.size() > config().gddimOrder() + 1) {
        outputs.removeLast();
      }
      double h = hs[i];
      for (int e = 0; e < x.length; e++) {
        x[e] += h * v[e];
      }
      Iterator<double[]> back = outputs.iterator();
      for (double[] c : coef[i]) {
        double[] d = back.next();
        for (int e = 0; e < x.length; e++) {
          x[e] += c[0] * d[e];
          v[e] += c[1] * d[e];
        }
      }
    }
    return run.tensor(x);
  }

  @Override
  public Promises promises() {
    return Promises.ode(StateSpace.PHASE_SPACE, config().gddimOrder() + 1);
  }
}
