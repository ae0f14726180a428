package dev.kiln.ssl.objective;

/** How MAST's per-augmentation masks over the embedding dimensions are made (the ablation switch). */
public enum MaskKind {
  /** One learnable soft mask per augmentation, {@code m_k = sigmoid(θ_k)}, θ starting at 0 (m = 0.5). */
  LEARNED,
  /** Fixed random binary masks, each keeping a seeded random {@code fixed_fraction} of the dimensions. */
  FIXED_RANDOM,
  /** One learnable soft mask shared by every augmentation (VICReg on a learned subspace). */
  SHARED
}
