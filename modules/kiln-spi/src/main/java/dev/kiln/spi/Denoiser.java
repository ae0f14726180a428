package dev.kiln.spi;

import dev.kiln.runtime.Tensor;

/**
 * The network a sampler drives: given noisy samples {@code x [N, ...]} at diffusion time {@code t}
 * (a training timestep, possibly fractional), returns the model output of the same shape (ε, x₀ or
 * v, whatever the model predicts), with {@code x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε}. A fractional t means
 * σ = √((1−ᾱ)/ᾱ) read linearly between the neighbouring integer timesteps. An exported model in an
 * ONNX Runtime session and the live training graph both implement it; samplers never know which.
 */
@FunctionalInterface
public interface Denoiser {

  Tensor predict(Tensor x, double t);
}
