package dev.kiln.text.planner;

/**
 * Sizes of PLANNER's three networks and of the text they read.
 *
 * @param vocab token ids [0, vocab)
 * @param length L, text tokens per paragraph (end token and padding included)
 * @param latents k, latent vectors per paragraph
 * @param latentDim h, width of each latent vector
 * @param dim width of the encoder and the decoder
 * @param layers blocks of the encoder and of the decoder (each)
 * @param heads attention heads of the encoder and the decoder
 * @param ditDim width of the denoiser
 * @param ditLayers denoiser blocks
 * @param ditHeads denoiser attention heads
 * @param prefixLength tokens of the prefix the denoiser reads in context (0: no prefix input)
 * @param classes attribute classes the denoiser is conditioned on (label {@code classes} is "none")
 */
public record PlannerConfig(int vocab, int length, int latents, int latentDim, int dim, int layers, int heads,
    int ditDim, int ditLayers, int ditHeads, int prefixLength, int classes) {

  public PlannerConfig {
    positive("vocab", vocab);
    positive("length", length);
    positive("latent_dim", latentDim);
    positive("dim", dim);
    positive("layers", layers);
    positive("heads", heads);
    positive("dit_dim", ditDim);
    positive("dit_layers", ditLayers);
    positive("dit_heads", ditHeads);
    positive("classes", classes);
    if (latents < 0 || prefixLength < 0) {
      throw new IllegalArgumentException("planner: `latents` and `prefix_length` must be >= 0, got " + latents
          + " and " + prefixLength);
    }
    if (dim % heads != 0 || ditDim % ditHeads != 0) {
      throw new IllegalArgumentException("planner: `dim` must divide by `heads` and `dit_dim` by `dit_heads`, got "
          + dim + "/" + heads + " and " + ditDim + "/" + ditHeads);
    }
  }

  private static void positive(String field, int v) {
    if (v < 1) {
      throw new IllegalArgumentException("planner field `" + field + "` must be >= 1, got " + v);
    }
  }

  /** The same sizes with another number of latent vectors (0 for a plain language model). */
  public PlannerConfig withLatents(int k) {
    return new PlannerConfig(vocab, length, k, latentDim, dim, layers, heads, ditDim, ditLayers, ditHeads,
        prefixLength, classes);
  }

  /** The same sizes with another number of decoder blocks. */
  public PlannerConfig withLayers(int n) {
    return new PlannerConfig(vocab, length, latents, latentDim, dim, n, heads, ditDim, ditLayers, ditHeads,
        prefixLength, classes);
  }
}
