package dev.kiln.spi;

import dev.kiln.runtime.Tensor;

/**
 * The network a phase-space sampler drives: the state is a position {@code x [N, ...]} and a
 * velocity {@code v [N, ...]} of the same shape, and the model, given both at process time
 * {@code t}, returns an output {@code [N, ...]} for the velocity's dynamics (for AGM, arXiv
 * 2310.07805, the normalised acceleration). What the output means, and which way time runs, is the
 * business of the process the model was trained on, as ε, x₀ or v is for a {@link Denoiser}. An
 * exported model with inputs {@code x}, {@code v}, {@code t} and the live training graph both
 * implement it; samplers never know which.
 */
@FunctionalInterface
public interface PhaseSpaceDenoiser {

  Tensor predict(Tensor x, Tensor v, double t);
}
