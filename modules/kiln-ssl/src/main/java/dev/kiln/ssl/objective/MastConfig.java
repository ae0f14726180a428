package dev.kiln.ssl.objective;

/**
 * MAST's choices, each switchable for ablations.
 *
 * @param masks learned per augmentation, fixed random, or one shared mask
 * @param uncertainty whether the uncertainty head reweights pairs (off: log σ² = 0)
 * @param invariance λ on the subspace invariance term (VICReg's 25)
 * @param variance μ on the per-subspace variance hinge (VICReg's 25)
 * @param covariance ν on the covariance term (VICReg's 1)
 * @param sparsity weight of the mask sparsity term mean(m)
 * @param fixedFraction fraction of dimensions a fixed random mask keeps
 * @param maxLogVariance bound on |log σ²|, enforced smoothly by {@code b·tanh(raw / b)}
 * @param maskSeed seed of the fixed random masks
 * @param maskLogitScale τ in {@code m = sigmoid(τ·θ)}: with Adam, θ moves about one learning rate per step
 *     whatever its gradient's size, so τ sets how far the masks can move in a short run
 * @param centredUncertainty whether log σ² is centred over the batch's pairs of each augmentation, so the
 *     pair weights exp(−s) have geometric mean one and reweight pairs without scaling the invariance term
 */
public record MastConfig(MaskKind masks, boolean uncertainty, double invariance, double variance, double covariance,
    double sparsity, double fixedFraction, double maxLogVariance, long maskSeed, double maskLogitScale,
    boolean centredUncertainty) {

  public MastConfig {
    if (masks == null) {
      throw new IllegalArgumentException("MAST field `masks` must be one of learned, fixed_random, shared");
    }
    if (!(fixedFraction > 0 && fixedFraction <= 1)) {
      throw new IllegalArgumentException("MAST field `fixed_fraction` must be in (0, 1], got " + fixedFraction);
    }
    if (!(maskLogitScale > 0)) {
      throw new IllegalArgumentException("MAST field `mask_logit_scale` must be > 0, got " + maskLogitScale);
    }
    if (!(maxLogVariance > 0) || !(sparsity >= 0)) {
      throw new IllegalArgumentException("MAST fields `max_log_variance` must be > 0 and `sparsity` ≥ 0, got "
          + maxLogVariance + " and " + sparsity);
    }
  }

  /** Learned masks with uncertainty; VICReg's 25/25/1; sparsity 0.1; |log σ²| ≤ 3; τ = 10. */
  public static MastConfig standard() {
    return new MastConfig(MaskKind.LEARNED, true, 25, 25, 1, 0.1, 0.5, 3, 0, 10, false);
  }

  public MastConfig withMasks(MaskKind kind) {
    return new MastConfig(kind, uncertainty, invariance, variance, covariance, sparsity, fixedFraction, maxLogVariance,
        maskSeed, maskLogitScale, centredUncertainty);
  }

  public MastConfig withUncertainty(boolean on) {
    return new MastConfig(masks, on, invariance, variance, covariance, sparsity, fixedFraction, maxLogVariance,
        maskSeed, maskLogitScale, centredUncertainty);
  }

  public MastConfig withMaskSeed(long seed) {
    return new MastConfig(masks, uncertainty, invariance, variance, covariance, sparsity, fixedFraction,
        maxLogVariance, seed, maskLogitScale, centredUncertainty);
  }

  public MastConfig withCentredUncertainty(boolean on) {
    return new MastConfig(masks, on || uncertainty, invariance, variance, covariance, sparsity, fixedFraction,
        maxLogVariance, maskSeed, maskLogitScale, on);
  }
}
