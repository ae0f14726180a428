package dev.kiln.transformers.model;

import dev.kiln.nn.Activation;
import dev.kiln.nn.TransformerOptions;

/**
 * {@code "universal-transformer"} as a recipe writes it: one shared block over integer tokens with
 * adaptive computation time (UT-ACT).
 *
 * @param length tokens per example (12)
 * @param vocab token values (= length)
 * @param classes output classes (= vocab)
 * @param dim model width (64)
 * @param heads attention heads (4)
 * @param ffn feed-forward width (128)
 * @param maxSteps T_max, steps unrolled in training (6)
 * @param actEpsilon ε of the halting threshold 1 − ε (0.01)
 * @param haltingBiasInit initial halting bias (-1.0: p starts near 0.27, so about 4 steps; tensor2tensor's
 *     1.0 starts at 2 steps, where ACT stayed on C-PVR)
 * @param activation feed-forward non-linearity (gelu)
 * @param norm LayerNorm placement: pre, post or none (pre)
 * @param sigmaReparam σReparam on every linear layer: none, vision (γ₀ = σ(W₀)) or speech (γ₀ = 1) (none)
 */
public record UniversalTransformerConfig(Integer length, Integer vocab, Integer classes, Integer dim, Integer heads,
    Integer ffn, Integer maxSteps, Double actEpsilon, Double haltingBiasInit, String activation, String norm,
    String sigmaReparam) {

  public UniversalTransformerConfig {
    length = length == null ? 12 : length;
    vocab = vocab == null ? length : vocab;
    classes = classes == null ? vocab : classes;
    dim = dim == null ? 64 : dim;
    heads = heads == null ? 4 : heads;
    ffn = ffn == null ? 128 : ffn;
    maxSteps = maxSteps == null ? 6 : maxSteps;
    actEpsilon = actEpsilon == null ? 0.01 : actEpsilon;
    haltingBiasInit = haltingBiasInit == null ? -1.0 : haltingBiasInit;
    activation = activation == null ? "gelu" : activation;
    norm = norm == null ? "pre" : norm;
    sigmaReparam = sigmaReparam == null ? "none" : sigmaReparam;
    build(length, vocab, classes, dim, heads, ffn, maxSteps, actEpsilon, haltingBiasInit, activation, norm,
        sigmaReparam);
  }

  /** The architecture. */
  public UniversalTransformer architecture() {
    return build(length, vocab, classes, dim, heads, ffn, maxSteps, actEpsilon, haltingBiasInit, activation, norm,
        sigmaReparam);
  }

  private static UniversalTransformer build(
      int length, int vocab, int classes, int dim, int heads, int ffn, int maxSteps, double actEpsilon,
      double haltingBiasInit, String activation, String norm, String sigmaReparam) {
    return new UniversalTransformer(new TokenSequence(length, vocab),
        new BlockDims(dim, heads, ffn, Activation.parse(activation)),
        new Halting(maxSteps, actEpsilon, haltingBiasInit), null, classes,
        TransformerOptions.parse(norm, sigmaReparam));
  }
}
