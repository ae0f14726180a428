package dev.kiln.diffusion.samplers;

import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.random.RandomGenerator;

/**
 * What DPM-Solver++(2M) and its SDE variant share (Lu et al., arXiv 2211.01095; diffusers'
 * {@code DPMSolverMultistepScheduler}): the timesteps and σ, and the multistep loop. x is kept at the
 * variance-preserving scale the model was trained on (x = α_t·x₀ + σ_t·ε with α_t = 1/√(σ²+1),
 * σ_t = σ·α_t), so the model sees it unscaled. With λ = log(α_t/σ_t), h = λ_next − λ_now, D₀ the
 * current x̂₀ and D₁ = (D₀ − D_prev)·h/h_prev, a step is
 *
 * <pre>
 *   x_next = a·x + b·D₀ + c·D₁ + e·z
 * </pre>
 *
 * with coefficients from the subclass ({@link #update}). The first step, and the last one under
 * {@code lower_order_final} (fewer than 15 steps), {@code euler_at_final} or a zero final σ, are first
 * order (c = 0). With a zero final σ the last step returns D₀.
 */
public abstract sealed class DpmSolverMultistep implements Sampler permits DpmSolverSampler, DpmSolverSdeSampler {

  /** Below this many steps {@code lower_order_final} makes the last step first order (diffusers' rule). */
  static final int LOWER_ORDER_FINAL_BELOW = 15;

  /**
   * Coefficients of one step.
   *
   * @param x on the current sample
   * @param d0 on the current x̂₀
   * @param d1 on the x̂₀ difference (unused in a first-order step)
   * @param noise on fresh standard normal noise
   */
  record Update(double x, double d0, double d1, double noise) {}

  private final DpmSolverConfig config;
  private final NoiseSchedule schedule;
  private final SigmaTable table;
  private final SampleClipping clipping;

  DpmSolverMultistep(DpmSolverConfig config, String algorithm, String name) {
    if (config.algorithmType() != null && !config.algorithmType().equals(algorithm)) {
      throw new IllegalArgumentException("algorithm_type `" + config.algorithmType() + "` is not the " + name
          + " sampler (" + algorithm + "); use " + (name.equals("dpmpp-2m") ? "dpmpp-2m-sde" : "dpmpp-2m"));
    }
    this.config = config;
    this.schedule = config.schedule().schedule();
    this.table = SigmaTable.of(schedule, config.schedule().rescaleBetasZeroSnr());
    this.clipping = new SampleClipping(false, 1, config.thresholding(), config.dynamicThresholdingRatio(),
        config.sampleMaxValue());
  }

  public DpmSolverConfig config() {
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

  /** The noise levels σ₀ &gt; … &gt; σ_{n−1} and the final one (0 or σ at t = 0): n + 1 values. */
  public double[] sigmas(int steps) {
    return plan(steps).sigmas();
  }

  /**
   * The step's coefficients.
   *
   * @param alphaNext α at the next σ
   * @param sigmaNext σ_t = σ·α at the next σ
   * @param sigmaNow σ_t at the current σ
   * @param h λ_next − λ_now (∞ when the next σ is 0)
   * @param secondOrder whether D₁ is used
   */
  abstract Update update(double alphaNext, double sigmaNext, double sigmaNow, double h, boolean secondOrder);

  @Override
  public Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng) {
    SamplingRun run = new SamplingRun(denoiser, shape, steps);
    SigmaPlan plan = plan(steps);
    double[] sig = plan.sigmas();
    double[] x = run.gaussian(rng, 1);
    double[] prevD = null;
    double prevH = Double.NaN;
    for (int i = 0; i < steps; i++) {
      double alphaNow = alpha(sig[i]);
      double alphaNext = alpha(sig[i + 1]);
      double[] out = run.predict(x, plan.timesteps()[i]);
      double[] d = clipping.apply(Denoised.of(config.schedule().predictionType(), out, x, alphaNow * alphaNow).x0(), run.batch());
      double h = Math.log(sig[i]) - Math.log(sig[i + 1]);
      if (h == 0) {
        // a repeated timestep (linspace rounds n + 1 points onto T integers when n ≥ T): the step has
        // no length, and taking it would divide by h in the next one
        continue;
      }
      boolean second = config.solverOrder() == 2 && prevD != null && !firstOrderAtEnd(i, steps, sig[i + 1]);
      Update u = update(alphaNext, sig[i + 1] * alphaNext, sig[i] * alphaNow, h, second);
      double[] z = u.noise() != 0 ? run.gaussian(rng, 1) : null;
      double r = prevH / h;
      for (int j = 0; j < x.length; j++) {
        double next = u.x() * x[j] + u.d0() * d[j];
        if (second) {
          next += u.d1() * (d[j] - prevD[j]) / r;
        }
        if (z != null) {
          next += u.noise() * z[j];
        }
        x[j] = next;
      }
      prevD = d;
      prevH = h;
    }
    return run.tensor(x);
  }

  private boolean firstOrderAtEnd(int i, int steps, double nextSigma) {
    return i == steps - 1 && (config.eulerAtFinal() || nextSigma == 0
        || (config.lowerOrderFinal() && steps < LOWER_ORDER_FINAL_BELOW));
  }

  private static double alpha(double sigma) {
    return 1 / Math.sqrt(sigma * sigma + 1);
  }

  private SigmaPlan plan(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    int trainSteps = config.schedule().numTrainTimesteps();
    double[] ts = config.timestepSpacing().multistep(trainSteps, trainSteps - clippedTimesteps(), steps,
        config.stepsOffset());
    double[] sig = new double[steps];
    if (config.useKarrasSigmas()) {
      sig = SigmaTable.karras(steps, table.at(0), table.at(trainSteps - 1));
      for (int i = 0; i < steps; i++) {
        double t = table.timestep(sig[i]);
        // diffusers rounds except for the cosine schedule, whose fractional timestep then truncates
        // when it is stored as an integer
        ts[i] = config.schedule().betaSchedule() == BetaSchedule.SQUAREDCOS_CAP_V2 ? Math.floor(t) : Math.rint(t);
      }
    } else {
      for (int i = 0; i < steps; i++) {
        sig[i] = table.at(ts[i]);
      }
    }
    return SigmaPlan.of(ts, sig, config.finalSigmasType().equals("zero") ? 0 : table.at(0));
  }

  /** How many of the last training timesteps {@code lambda_min_clipped} excludes (λ falls with t). */
  private int clippedTimesteps() {
    int n = 0;
    for (int t = 0; t < table.length(); t++) {
      if (-Math.log(table.at(t)) < config.lambdaMinClipped()) {
        n++;
      }
    }
    return n;
  }
}
