package dev.kiln.transformers.model;

import dev.kiln.nn.Activation;
import dev.kiln.nn.TransformerOptions;

/**
 * {@code "vit"} as a recipe writes it: a fixed-depth encoder over image patches.
 *
 * @param imageSize image height and width (28)
 * @param patchSize patch height and width (7: 16 patches)
 * @param channels image channels (1)
 * @param classes output classes (10)
 * @param dim model width (64)
 * @param heads attention heads (4)
 * @param ffn feed-forward width (128)
 * @param depth blocks (4)
 * @param activation feed-forward non-linearity (gelu)
 * @param norm LayerNorm placement: pre, post or none (pre)
 * @param sigmaReparam σReparam on every linear layer: none, vision (γ₀ = σ(W₀)) or speech (γ₀ = 1) (none)
 */
public record VitConfig(Integer imageSize, Integer patchSize, Integer channels, Integer classes, Integer dim,
    Integer heads, Integer ffn, Integer depth, String activation, String norm, String sigmaReparam) {

  public VitConfig {
    imageSize = imageSize == null ? 28 : imageSize;
    patchSize = patchSize == null ? 7 : patchSize;
    channels = channels == null ? 1 : channels;
    classes = classes == null ? 10 : classes;
    dim = dim == null ? 64 : dim;
    heads = heads == null ? 4 : heads;
    ffn = ffn == null ? 128 : ffn;
    depth = depth == null ? 4 : depth;
    activation = activation == null ? "gelu" : activation;
    norm = norm == null ? "pre" : norm;
    sigmaReparam = sigmaReparam == null ? "none" : sigmaReparam;
    build(imageSize, patchSize, channels, classes, dim, heads, ffn, depth, activation, norm, sigmaReparam);
  }

  /** The architecture. */
  public FixedDepthEncoder architecture() {
    return build(imageSize, patchSize, channels, classes, dim, heads, ffn, depth, activation, norm, sigmaReparam);
  }

  private static FixedDepthEncoder build(
      int imageSize, int patchSize, int channels, int classes, int dim, int heads, int ffn, int depth,
      String activation, String norm, String sigmaReparam) {
    return new FixedDepthEncoder(new PatchSequence(imageSize, patchSize, channels),
        new BlockDims(dim, heads, ffn, Activation.parse(activation)), depth, classes,
        TransformerOptions.parse(norm, sigmaReparam));
  }
}
