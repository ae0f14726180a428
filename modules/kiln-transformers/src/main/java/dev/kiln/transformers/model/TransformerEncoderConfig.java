package dev.kiln.transformers.model;

import dev.kiln.nn.Activation;
import dev.kiln.nn.TransformerOptions;

/**
 * {@code "transformer-encoder"} as a recipe writes it: a fixed-depth encoder over integer tokens.
 *
 * @param length tokens per example (12)
 * @param vocab token values (= length, as in C-PVR where values are positions)
 * @param classes output classes (= vocab)
 * @param dim model width (64)
 * @param heads attention heads (4)
 * @param ffn feed-forward width (128)
 * @param depth blocks (4)
 * @param activation feed-forward non-linearity (gelu)
 * @param norm LayerNorm placement: pre, post or none (pre)
 * @param sigmaReparam σReparam on every linear layer: none, vision (γ₀ = σ(W₀)) or speech (γ₀ = 1) (none)
 */
public record TransformerEncoderConfig(Integer length, Integer vocab, Integer classes, Integer dim, Integer heads,
    Integer ffn, Integer depth, String activation, String norm, String sigmaReparam) {

  public TransformerEncoderConfig {
    length = length == null ? 12 : length;
    vocab = vocab == null ? length : vocab;
    classes = classes == null ? vocab : classes;
    dim = dim == null ? 64 : dim;
    heads = heads == null ? 4 : heads;
    ffn = ffn == null ? 128 : ffn;
    depth = depth == null ? 4 : depth;
    activation = activation == null ? "gelu" : activation;
    norm = norm == null ? "pre" : norm;
    sigmaReparam = sigmaReparam == null ? "none" : sigmaReparam;
    build(length, vocab, dim, heads, ffn, depth, classes, activation, norm, sigmaReparam);
  }

  /** The architecture. */
  public FixedDepthEncoder architecture() {
    return build(length, vocab, dim, heads, ffn, depth, classes, activation, norm, sigmaReparam);
  }

  private static FixedDepthEncoder build(
      int length, int vocab, int dim, int heads, int ffn, int depth, int classes, String activation, String norm,
      String sigmaReparam) {
    return new FixedDepthEncoder(new TokenSequence(length, vocab),
        new BlockDims(dim, heads, ffn, Activation.parse(activation)), depth, classes,
        TransformerOptions.parse(norm, sigmaReparam));
  }
}
