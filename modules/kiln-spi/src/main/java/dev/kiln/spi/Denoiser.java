package dev.kiln.spi;

import dev.kiln.runtime.Tensor;

/**
 * The network a sampler drives: given noisy samples {@code x [N, ...]} at diffusion time {@code t}
 * (a training timestep, possibly fractional), returns the model output of the same shape (ε, x₀ or
 * v, whatever the model predicts). An exported model in an ONNX Runtime session and the live
 * training graph both implement it; samplers never know which.
 */
@FunctionalInterface
public interface Denoiser {

  Tensor predict(Tensor x, double t);
}
