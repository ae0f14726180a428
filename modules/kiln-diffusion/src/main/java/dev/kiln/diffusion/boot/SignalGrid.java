package dev.kiln.diffusion.boot;

import dev.kiln.diffusion.samplers.DdimSampler;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.spi.process.PredictionType;

/**
 * The timesteps of an n-step DDIM run and what a DDIM step does between them in signal space. With
 * the initial noise ε fixed, the signal {@code y_t = (x_t − σ_t·ε)/α_t} obeys, from node t to the next
 * node s (arXiv 2306.05544 §3.1):
 *
 * <pre>
 *   y_s = y_t + δ_{s,t}·(f(x_t, t) − y_t),   δ_{s,t} = 1 − (σ_s·α_t)/(α_s·σ_t) = 1 − e^{λ_s − λ_t},  λ = log(σ/α)
 * </pre>
 *
 * where f is the teacher's x̂₀; this is exactly DDIM (η = 0) divided by α_s. Node 0 is the noise end,
 * node n is the clean end, at timestep {@link #CLEAN_TIMESTEP} with ᾱ = 1 (DDIM's
 * {@code set_alpha_to_one}).
 */
public final class SignalGrid {

  /** The timestep a student is asked for at the clean end of the grid (one before timestep 0, ᾱ = 1). */
  public static final double CLEAN_TIMESTEP = -1;

  private final double[] timesteps;
  private final double[] alphaBar;

  private SignalGrid(double[] timesteps, double[] alphaBar) {
    this.timesteps = timesteps;
    this.alphaBar = alphaBar;
  }

  /**
   * The nodes {@code ddim} visits in {@code steps} steps, then the clean end. With trailing spacing and
   * {@code num_train_timesteps} divisible by the steps the chain is exactly DDIM's; otherwise DDIM steps to
   * {@code t − ⌊T/n⌋}, one or two timesteps off the next node, and the two differ slightly.
   */
  public static SignalGrid of(DdimSampler ddim, int steps) {
    double[] ts = ddim.timesteps(steps);
    NoiseSchedule schedule = ddim.schedule();
    double[] nodes = new double[steps + 1];
    double[] ab = new double[steps + 1];
    for (int k = 0; k < steps; k++) {
      nodes[k] = ts[k];
      ab[k] = schedule.alphaCumprod((int) ts[k]);
    }
    nodes[steps] = CLEAN_TIMESTEP;
    ab[steps] = 1;
    return new SignalGrid(nodes, ab);
  }

  /** Number of DDIM steps (intervals); there are {@code steps() + 1} nodes. */
  public int steps() {
    return timesteps.length - 1;
  }

  /** The timestep of node k (0: noise end, {@link #steps()}: clean end). */
  public double timestep(int k) {
    return timesteps[k];
  }

  /** α_k = √ᾱ at node k. */
  public double alpha(int k) {
    return Math.sqrt(alphaBar[k]);
  }

  /** σ_k = √(1 − ᾱ) at node k. */
  public double sigma(int k) {
    return Math.sqrt(1 - alphaBar[k]);
  }

  /** δ from node k to node k + 1. */
  public double delta(int k) {
    return 1 - sigma(k + 1) * alpha(k) / (alpha(k + 1) * sigma(k));
  }

  /**
   * {a, b} with {@code x̂₀ = a·x_t + b·out} for a network predicting {@code type} at node k (k below
   * {@link #steps()}): x₀ (0, 1), ε (1/α, −σ/α) or v (α, −σ).
   */
  public double[] x0Coefficients(PredictionType type, int k) {
    double a = alpha(k);
    double s = sigma(k);
    return switch (type) {
      case SAMPLE -> new double[] {0, 1};
      case EPSILON -> new double[] {1 / a, -s / a};
      case V_PREDICTION -> new double[] {a, -s};
    };
  }
}
