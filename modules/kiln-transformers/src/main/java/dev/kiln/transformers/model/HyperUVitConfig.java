package dev.kiln.transformers.model;

import dev.kiln.nn.Activation;
import dev.kiln.nn.TransformerOptions;

/**
 * {@code "hyperu-vit"} as a recipe writes it: Hyper-UT over image patches (HyperU-ViT); with
 * {@code pool_size} 0 the feed-forward weights are static (a U-ViT with ACT).
 *
 * @param imageSize image height and width (28)
 * @param patchSize patch height and width (7)
 * @param channels image channels (1)
 * @param classes output classes (10)
 * @param dim model width (64)
 * @param heads attention heads (4)
 * @param ffn feed-forward width (128)
 * @param maxSteps T_max (4)
 * @param actEpsilon ε (0.01)
 * @param haltingBiasInit initial halting bias (-1.0: p starts near 0.27, so about 4 steps; tensor2tensor's
 *     1.0 starts at 2 steps, where ACT stayed on C-PVR)
 * @param poolSize weight-pool entries P (8; 0 for static weights)
 * @param routerHeads router heads (1)
 * @param routerDim pool embedding and router width (32)
 * @param activation feed-forward non-linearity (gelu)
 * @param norm LayerNorm placement: pre, post or none (pre)
 * @param sigmaReparam σReparam on every linear layer: none, vision (γ₀ = σ(W₀)) or speech (γ₀ = 1) (none)
 */
public record HyperUVitConfig(Integer imageSize, Integer patchSize, Integer channels, Integer classes, Integer dim,
    Integer heads, Integer ffn, Integer maxSteps, Double actEpsilon, Double haltingBiasInit, Integer poolSize,
    Integer routerHeads, Integer routerDim, String activation, String norm, String sigmaReparam) {

  public HyperUVitConfig {
    imageSize = imageSize == null ? 28 : imageSize;
    patchSize = patchSize == null ? 7 : patchSize;
    channels = channels == null ? 1 : channels;
    classes = classes == null ? 10 : classes;
    dim = dim == null ? 64 : dim;
    heads = heads == null ? 4 : heads;
    ffn = ffn == null ? 128 : ffn;
    maxSteps = maxSteps == null ? 4 : maxSteps;
    actEpsilon = actEpsilon == null ? 0.01 : actEpsilon;
    haltingBiasInit = haltingBiasInit == null ? -1.0 : haltingBiasInit;
    poolSize = poolSize == null ? 8 : poolSize;
    routerHeads = routerHeads == null ? 1 : routerHeads;
    routerDim = routerDim == null ? 32 : routerDim;
    activation = activation == null ? "gelu" : activation;
    norm = norm == null ? "pre" : norm;
    sigmaReparam = sigmaReparam == null ? "none" : sigmaReparam;
    if (poolSize < 0) {
      throw new IllegalArgumentException("field `pool_size` must be >= 0, got " + poolSize);
    }
    if (routerHeads < 1 || ffn % routerHeads != 0) {
      throw new IllegalArgumentException("field `ffn` (" + ffn + ") must be divisible by `router_heads` (>= 1, got "
          + routerHeads + ")");
    }
    build(imageSize, patchSize, channels, classes, dim, heads, ffn, maxSteps, actEpsilon,
        haltingBiasInit, poolSize, routerHeads, routerDim, activation, norm, sigmaReparam);
  }

  /** The architecture. */
  public UniversalTransformer architecture() {
    return build(imageSize, patchSize, channels, classes, dim, heads, ffn, maxSteps, actEpsilon,
        haltingBiasInit, poolSize, routerHeads, routerDim, activation, norm, sigmaReparam);
  }

  private static UniversalTransformer build(
      int imageSize, int patchSize, int channels, int classes, int dim, int heads, int ffn, int maxSteps,
      double actEpsilon, double haltingBiasInit, int poolSize, int routerHeads, int routerDim,
      String activation, String norm, String sigmaReparam) {
    return new UniversalTransformer(new PatchSequence(imageSize, patchSize, channels),
        new BlockDims(dim, heads, ffn, Activation.parse(activation)),
        new Halting(maxSteps, actEpsilon, haltingBiasInit),
        poolSize == 0 ? null : new Router(poolSize, routerHeads, routerDim), classes,
        TransformerOptions.parse(norm, sigmaReparam));
  }
}
