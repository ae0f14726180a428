package dev.kiln.diffusion.samplers;

import dev.kiln.diffusion.schedule.NoiseSchedule;
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
    this.schedule = config.noiseSchedule();
    this.table = SigmaTable.of(schedule, config.rescaleBetasZeroSnr());
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
    double[] lambda = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      lambda[i] = -Math.log(plan.sigmas()[i]);
    }
    double[] x = run.gaussian(rng, 1);
    double[] last = null;
    double[] d1 = null;
    double[] d2 = null;
    int lastOrder = 0;
    for (int i = 0; i < steps; i++) {
      double alpha = alpha(plan.sigmas()[i]);
      double[] out = run.predict(x, plan.timesteps()[i]);
      double[] d = clipping.apply(Denoised.of(config.predictionType(), out, x, alpha * alpha).x0(), run.batch());
      if (last != null && !config.disableCorrector().contains(i - 1)) {
        x = correct(last, d, d1, d2, lambda, plan.sigmas(), i, lastOrder);
      }
      int order = config.lowerOrderFinal() ? Math.min(config.solverOrder(), steps - i) : config.solverOrder();
      order = Math.min(order, i + 1);
      if (plan.sigmas()[i + 1] == 0) {
        // λ = ∞ there: only the first-order step (which returns D₀) is defined
        order = 1;
      }
      last = x;
      x = predict(x, d, d1, lambda, plan.sigmas(), i, order);
      d2 = d1;
      d1 = d;
      lastOrder = order;
    }
    return run.tensor(x);
  }

  /** UniP from point i to i + 1 with D₀ = d and D₋₁ = prev. */
  private double[] predict(double[] x, double[] d, double[] prev, double[] lambda, double[] sig, int i,
      int order) {
    double h = lambda[i + 1] - lambda[i];
    double alphaNext = alpha(sig[i + 1]);
    double phi = Math.expm1(-h);
    double b = bh(h);
    double cx = (sig[i + 1] * alphaNext) / (sig[i] * alpha(sig[i]));
    double r = order == 2 ? (lambda[i - 1] - lambda[i]) / h : Double.NaN;
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
   * UniC: the step from point i − 1 (x = last) to i redone with D at point i; D₀ = prev, D₋₁ = prev2.
   */
  private double[] correct(double[] last, double[] d, double[] prev, double[] prev2, double[] lambda,
      double[] sig, int i, int order) {
    double h = lambda[i] - lambda[i - 1];
    double alphaNow = alpha(sig[i]);
    double phi = Math.expm1(-h);
    double b = bh(h);
    double cx = (sig[i] * alphaNow) / (sig[i - 1] * alpha(sig[i - 1]));
    double rhoNew;
    double rhoPrev = 0;
    double r = Double.NaN;
    if (order == 1) {
      rhoNew = 0.5;
    } else {
      // ρ solves [[1, 1], [r, 1]]·ρ = [b₁, b₂], b_k from the φ-functions of −h
      r = (lambda[i - 2] - lambda[i - 1]) / h;
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
    int trainSteps = config.numTrainTimesteps();
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
}
