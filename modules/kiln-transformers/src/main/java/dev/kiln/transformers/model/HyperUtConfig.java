package dev.kiln.transformers.model;

import dev.kiln.nn.Activation;
import dev.kiln.nn.TransformerOptions;

/**
 * {@code "hyper-ut"} as a recipe writes it: the Universal Transformer of
 * {@link UniversalTransformerConfig} whose feed-forward weights are generated per example and per
 * step from a routed pool ({@link HyperFeedForward}).
 *
 * @param length tokens per example (12)
 * @param vocab token values (= length)
 * @param classes output classes (= vocab)
 * @param dim model width (64)
 * @param heads attention heads (4)
 * @param ffn feed-forward width (128)
 * @param maxSteps T_max (6)
 * @param actEpsilon ε (0.01)
 * @param haltingBiasInit initial halting bias (-1.0: p starts near 0.27, so about 4 steps; tensor2tensor's
 *     1.0 starts at 2 steps, where ACT stayed on C-PVR)
 * @param poolSize weight-pool entries P (8)
 * @param routerHeads router heads (1); each chooses weights for ffn/heads hidden units
 * @param routerDim pool embedding and router query/key width (32)
 * @param activation feed-forward non-linearity (gelu)
 * @param norm LayerNorm placement: pre, post or none (pre)
 * @param sigmaReparam σReparam on every linear layer: none, vision (γ₀ = σ(W₀)) or speech (γ₀ = 1) (none)
 * @param act adaptive computation time (true); false runs all {@code max_steps} steps with no halting
 *     unit, the router-without-ACT ablation ("Hyper-T")
 */
public record HyperUtConfig(Integer length, Integer vocab, Integer classes, Integer dim, Integer heads, Integer ffn,
    Integer maxSteps, Double actEpsilon, Double haltingBiasInit, Integer poolSize, Integer routerHeads,
    Integer routerDim, String activation, String norm, String sigmaReparam, Boolean act) {

  public HyperUtConfig {
    length = length == null ? 12 : length;
    vocab = vocab == null ? length : vocab;
    classes = classes == null ? vocab : classes;
    dim = dim == null ? 64 : dim;
    heads = heads == null ? 4 : heads;
    ffn = ffn == null ? 128 : ffn;
    maxSteps = maxSteps == null ? 6 : maxSteps;
    actEpsilon = actEpsilon == null ? 0.01 : actEpsilon;
    haltingBiasInit = haltingBiasInit == null ? -1.0 : haltingBiasInit;
    poolSize = poolSize == null ? 8 : poolSize;
    routerHeads = routerHeads == null ? 1 : routerHeads;
    routerDim = routerDim == null ? 32 : routerDim;
    activation = activation == null ? "gelu" : activation;
    norm = norm == null ? "pre" : norm;
    sigmaReparam = sigmaReparam == null ? "none" : sigmaReparam;
    act = act == null || act;
    if (routerHeads < 1 || ffn % routerHeads != 0) {
      throw new IllegalArgumentException("field `ffn` (" + ffn + ") must be divisible by `router_heads` (>= 1, got "
          + routerHeads + ")");
    }
    build(length, vocab, classes, dim, heads, ffn, maxSteps, actEpsilon, haltingBiasInit, poolSize,
        routerHeads, routerDim, activation, norm, sigmaReparam, act);
  }

  /** The architecture. */
  public UniversalTransformer architecture() {
    return build(length, vocab, classes, dim, heads, ffn, maxSteps, actEpsilon, haltingBiasInit, poolSize,
        routerHeads, routerDim, activation, norm, sigmaReparam, act);
  }

  private static UniversalTransformer build(
      int length, int vocab, int classes, int dim, int heads, int ffn, int maxSteps, double actEpsilon,
      double haltingBiasInit, int poolSize, int routerHeads, int routerDim, String activation, String norm,
      String sigmaReparam, boolean act) {
    return new UniversalTransformer(new TokenSequence(length, vocab),
        new BlockDims(dim, heads, ffn, Activation.parse(activation)),
        new Halting(maxSteps, actEpsilon, haltingBiasInit, act), new Router(poolSize, routerHeads, routerDim), classes,
        TransformerOptions.parse(norm, sigmaReparam));
  }
}
