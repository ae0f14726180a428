/**
 * Inference on what Kiln exports and trains: {@link dev.kiln.inference.GenerativeModel} opens an exported
 * generative model with everything its samplers need from its metadata; {@link dev.kiln.inference.ModelDenoiser}
 * turns a model runner into a sampler's denoiser (with classifier-free guidance);
 * {@link dev.kiln.inference.ForwardSession} runs a training graph's outputs on live weights and
 * {@link dev.kiln.inference.ParameterFolding} folds weight-only subgraphs into constants at export.
 */
module dev.kiln.inference {
  requires transitive dev.kiln.spi;
  requires transitive dev.kiln.graph;
  requires transitive dev.kiln.runtime;

  exports dev.kiln.inference;
}
