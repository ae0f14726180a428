package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.StateSpace;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.random.RandomGenerator;

/**
 * UniPC (Zhao et al., arXiv 2302.04867) in its data-prediction form with the B(h) variants, as diffusers'
 * {@code UniPCMultistepScheduler} with {@code predict_x0}: a multistep predictor (UniP) and a corrector
 * (UniC) that refines each new point with the model output computed there anyway, so one model call
 * per step. x is at the variance-preserving scale, λ = log(α_t/σ_t), h = λ_next − λ_now, φ = e^{−h} − 1,
 * B = φ (bh2) or −h (bh1), D the x̂₀ of each step:
 *
 * <pre>
 *   UniP, order 1:  x_next = (σ_next/σ_now)·x − α_next·φ·D₀
 *   UniP, order 2:  x_next = (σ_next/σ_now)·x − α_next·φ·D₀ − α_next·B·½·(D₋₁ − D₀)/r,  r = (λ₋₁ − λ_now)/h
 *   UniC, order p:  the same step from the previous point, recomputed with D at the new point:
 *                   x_new = (σ_new/σ_prev)·x_prev − α_new·φ·D₀ − α_new·B·(Σ ρ_k·(D_k − D₀)/r_k + ρ_p·(D_new − D₀))
 * </pre>
 *
 * where ρ solves Σ_k ρ_k·r_k^{j−1} = b_j from the φ-functions of h (ρ = ½ at order 1). The order is
 * 1 on the first step and, under {@code lower_order_final}, on the last; the last step with σ_next = 0
 * returns D₀. There is no corrector after the last step, since that would need another model call.
 */
public final class UniPcSampler implements Sampler {

  private final UniPcConfig config;
  private final NoiseSchedule schedule;
  private final SigmaTable table;
  private final SampleClipping clipping;

  public UniPcSampler(UniPcConfig config) {
    this.config = config;
    this.schedule = config.schedule().schedule();
    this.table = SigmaTable.of(schedule, config.schedule().rescaleBetasZeroSnr());
    this.clipping = new SampleClipping(false, 1, config.thresholding(), config.dynamicThresholdingRatio(),
        config.sampleMaxValue());
  }

  public UniPcConfig config() {
    return config;
  }

  /** The training schedule. */
  public NoiseSchedule schedule() {
    return schedule;
  }

  /** The integer timesteps the model is called at, descending. */
  public double[] timesteps(int steps) {
    return plan(steps).timesteps();
  }

  /** The noise levels σ₀ &gt; … &gt; σ_{n−1} and the final one: n + 1 values. */
  public double[] sigmas(int steps) {
    return plan(steps).sigmas();
  }

  @Override
  public Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng) {
    SamplingRun run = new SamplingRun(denoiser, shape, steps);
    SigmaPlan plan = plan(steps);
    double[] sig = plan.sigmas();
    double[] x = run.gaussian(rng, 1);
    // History of the distinct points visited: `last` and d1 sit at point 1 (λ1, σ1), d2 at point 2 (λ2).
    double[] last = null;
    double[] d1 = null;
    double[] d2 = null;
    double lam1 = Double.NaN;
    double sig1 = Double.NaN;
    double lam2 = Double.NaN;
    int lastOrder = 0;
    boolean corrected = false;
    for (int i = 0; i < steps; i++) {
      double alpha = alpha(sig[i]);
      double lamNow = -Math.log(sig[i]);
      double[] out = run.predict(x, plan.timesteps()[i]);
      double[] d = clipping.apply(Denoised.of(config.schedule().predictionType(), out, x, alpha * alpha).x0(), run.batch());
      if (last != null && !corrected && !config.disableCorrector().contains(i - 1)) {
        x = correct(last, d, d1, d2, lam2, lam1, sig1, lamNow, sig[i], lastOrder);
      }
      if (sig[i + 1] == sig[i]) {
        // a repeated timestep (linspace puts n + 1 points on T integers when n ≥ T): the model call is
        // spent, but a step of length zero would divide by zero in the next one
        corrected = true;
        continue;
      }
      corrected = false;
      int order = config.lowerOrderFinal() ? Math.min(config.solverOrder(), steps - i) : config.solverOrder();
      order = Math.min(order, d1 == null ? 1 : 2);
      if (sig[i + 1] == 0) {
        // λ = ∞ there: only the first-order step (which returns D₀) is defined
        order = 1;
      }
      last = x;
      x = predict(x, d, d1, lam1, lamNow, sig[i], sig[i + 1], order);
      d2 = d1;
      lam2 = lam1;
      d1 = d;
      lam1 = lamNow;
      sig1 = sig[i];
      lastOrder = order;
    }
    return run.tensor(x);
  }

  /** UniP from (λ, σ) to the next noise level with D₀ = d and D₋₁ = prev (at λ_prev). */
  private double[] predict(double[] x, double[] d, double[] prev, double lamPrev, double lam, double sigNow,
      double sigNext, int order) {
    double lamNext = sigNext == 0 ? Double.POSITIVE_INFINITY : -Math.log(sigNext);
    double h = lamNext - lam;
    double alphaNext = alpha(sigNext);
    double phi = Math.expm1(-h);
    double b = bh(h);
    double cx = (sigNext * alphaNext) / (sigNow * alpha(sigNow));
    double r = order == 2 ? (lamPrev - lam) / h : Double.NaN;
    double[] next = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      next[j] = cx * x[j] - alphaNext * phi * d[j];
      if (order == 2) {
        next[j] -= alphaNext * b * 0.5 * (prev[j] - d[j]) / r;
      }
    }
    return next;
  }

  /**
   * UniC: the step from point 1 (x = last, D₀ = prev at λ1, σ1) to the current point (λ, σ) redone
   * with D at the current point; D₋₁ = prev2 at λ2.
   */
  private double[] correct(double[] last, double[] d, double[] prev, double[] prev2, double lam2, double lam1,
      double sig1, double lam, double sigNow, int order) {
    double h = lam - lam1;
    double alphaNow = alpha(sigNow);
    double phi = Math.expm1(-h);
    double b = bh(h);
    double cx = (sigNow * alphaNow) / (sig1 * alpha(sig1));
    double rhoNew;
    double rhoPrev = 0;
    double r = Double.NaN;
    if (order == 1) {
      rhoNew = 0.5;
    } else {
      // ρ solves [[1, 1], [r, 1]]·ρ = [b₁, b₂], b_k from the φ-functions of −h
      r = (lam2 - lam1) / h;
      double hh = -h;
      double phiK = phi / hh - 1;
      double b1 = phiK / b;
      double b2 = (phiK / hh - 0.5) * 2 / b;
      rhoPrev = (b1 - b2) / (1 - r);
      rhoNew = b1 - rhoPrev;
    }
    double[] x = new double[last.length];
    for (int j = 0; j < x.length; j++) {
      double res = rhoNew * (d[j] - prev[j]);
      if (order == 2) {
        res += rhoPrev * (prev2[j] - prev[j]) / r;
      }
      x[j] = cx * last[j] - alphaNow * phi * prev[j] - alphaNow * b * res;
    }
    return x;
  }

  private double bh(double h) {
    return config.solverType().equals("bh1") ? -h : Math.expm1(-h);
  }

  private static double alpha(double sigma) {
    return 1 / Math.sqrt(sigma * sigma + 1);
  }

  private SigmaPlan plan(int steps) {
    int trainSteps = config.schedule().numTrainTimesteps();
    double[] ts = config.timestepSpacing().multistep(trainSteps, trainSteps, steps, config.stepsOffset());
    double[] sig = new double[steps];
    if (config.useKarrasSigmas()) {
      double min = config.sigmaMin() != null ? config.sigmaMin() : table.at(0);
      double max = config.sigmaMax() != null ? config.sigmaMax() : table.at(trainSteps - 1);
      sig = SigmaTable.karras(steps, min, max);
      for (int i = 0; i < steps; i++) {
        ts[i] = Math.rint(table.timestep(sig[i]));
      }
      return SigmaPlan.of(ts, sig, config.finalSigmasType().equals("zero") ? 0 : sig[steps - 1]);
    }
    for (int i = 0; i < steps; i++) {
      sig[i] = table.at(ts[i]);
    }
    return SigmaPlan.of(ts, sig, config.finalSigmasType().equals("zero") ? 0 : table.at(0));
  }

  @Override
  public Promises promises() {
    return Promises.ode(StateSpace.POSITION, config.solverOrder());
  }
}
