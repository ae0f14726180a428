package dev.kiln.spi;

import dev.kiln.runtime.Tensor;
import java.util.random.RandomGenerator;

/**
 * A sampler of a generative model: from noise it integrates the model's process (reverse diffusion,
 * phase-space dynamics, or one call of a one-step generator) and returns positions. A sampler holds
 * no state between calls to {@link #sample}; all noise comes from the generator it is handed, so the
 * same generator seed gives bit-identical samples. What it {@link #promises} the conformance suite
 * checks.
 */
public interface Sampler {

  /**
   * Draws samples of shape {@code shape} in {@code steps} sampling steps.
   *
   * @param denoiser the model, handed states of {@link Promises#stateSpace()}
   * @param shape sample shape, batch first
   * @param steps number of sampling steps
   * @param rng source of the initial noise and of any per-step noise
   */
  Tensor sample(Denoiser denoiser, long[] shape, int steps, RandomGenerator rng);

  /** Model evaluations {@link #sample} makes for {@code steps} steps. */
  default int evaluations(int steps) {
    return steps;
  }

  /** What the sampler promises; by default a first-order ODE solver over positions. */
  default Promises promises() {
    return Promises.ode(StateSpace.POSITION, 1);
  }

  /** How a sampler's output behaves as the steps grow. */
  enum Convergence {
    /** Deterministic: each trajectory converges at the declared order in the step size. */
    ODE,
    /** Draws fresh noise after the initial state: converges in distribution only. */
    SDE,
    /** One model call on the initial noise, whatever the step count: the model is a one-step generator. */
    ONE_STEP
  }

  /**
   * What a sampler promises, each a check of the conformance suite: the state its model is handed, how
   * its output converges, and for ODE samplers the order.
   *
   * @param stateSpace the state handed to the model
   * @param convergence how the output converges
   * @param order pathwise order of an ODE sampler (0 otherwise)
   */
  record Promises(StateSpace stateSpace, Convergence convergence, int order) {

    public Promises {
      if (convergence == Convergence.ODE ? order < 1 : order != 0) {
        throw new IllegalArgumentException("an ODE sampler promises an order >= 1 and others none; got "
            + convergence + " of order " + order);
      }
    }

    /** A deterministic solver of pathwise order {@code order}. */
    public static Promises ode(StateSpace space, int order) {
      return new Promises(space, Convergence.ODE, order);
    }

    /** A stochastic sampler. */
    public static Promises sde(StateSpace space) {
      return new Promises(space, Convergence.SDE, 0);
    }

    /** A one-step generator's sampler. */
    public static Promises generator() {
      return new Promises(StateSpace.POSITION, Convergence.ONE_STEP, 0);
    }

    /** Whether the sampler draws fresh noise after the initial state. */
    public boolean stochastic() {
      return convergence == Convergence.SDE;
    }

    /** Whether the sampler makes one call of a one-step generator. */
    public boolean oneStep() {
      return convergence == Convergence.ONE_STEP;
    }
  }
}
