package dev.kiln.spi;

import dev.kiln.runtime.Tensor;

/**
 * The network a sampler drives: given the sampler's state at time {@code t}, returns a model output
 * of the positions' shape. What the output means and how time runs is the business of the process
 * the model was trained on: for a diffusion denoiser the state is {@code x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε}
 * at a training timestep t (possibly fractional: σ = √((1−ᾱ)/ᾱ) read linearly between the
 * neighbouring integer timesteps) and the output is ε, x₀ or v; for a phase-space (AGM) model the
 * state is position and velocity at process time t ∈ [0, 1) and the output the normalised
 * acceleration; for a one-step generator (a BOOT student) the state is noise and the output a
 * sample. An exported model in an ONNX Runtime session and the live training graph both implement
 * it; samplers never know which.
 */
@FunctionalInterface
public interface Denoiser {

  Tensor predict(SamplerState state, double t);

  /** The output for positions alone. */
  default Tensor predict(Tensor x, double t) {
    return predict(new SamplerState.Position(x), t);
  }

  /** The output for positions and velocities. */
  default Tensor predict(Tensor x, Tensor v, double t) {
    return predict(new SamplerState.PhaseSpace(x, v), t);
  }
}
