package dev.kiln.ssl.objective;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Linear;
import dev.kiln.runtime.Seeds;
import java.util.SplittableRandom;

/**
 * MAST (Huang et al., "Masked Augmentation Subspace Training", arXiv 2303.03679): one embedding space
 * split into K masked subspaces, subspace k invariant to augmentation k only. Built on VICReg
 * ({@link Vicreg}); report {@code docs/reproductions/mast.md}. For embeddings {@code z1, z2 [n, d]} of two
 * views, masks {@code m_k = sigmoid(τ θ_k) ∈ [0, 1]^d} and pair weights {@code w [n, K]} (one-hot in the stage that differs
 * when the views differ in one augmentation only; all ones when every augmentation differs):
 * <pre>
 *   inv_ik  = Σ_j m_kj (z1_ij − z2_ij)² / Σ_j m_kj                 mask-normalised subspace mismatch
 *   s_ik    = b·tanh(u_k(|z1_i − z2_i|) / b)                       log σ², the uncertainty head
 *   L_inv   = Σ_ik w_ik (exp(−s_ik)·inv_ik + s_ik) / Σ_ik w_ik     heteroscedastic reweighting (s = 0 when off;
 *                                                                  centred: s_ik − Σ_i w_ik s_ik / Σ_i w_ik)
 *   L_var   = mean_k (v(z1 ⊙ m_k) + v(z2 ⊙ m_k)) / 2               per-subspace variance hinge
 *   L_cov   = c(z1) + c(z2)
 *   L_mask  = mean_kj m_kj
 *   L       = λ L_inv + μ L_var + ν L_cov + ρ L_mask
 * </pre>
 * The paper's exact mask parametrisation, regularisers and head are not published in the material this
 * follows; these are the reconstruction documented in the report, each part switchable
 * ({@link MastConfig}).
 *
 * @param config the switches and weights
 * @param augmentations K
 * @param dim d
 */
public record Mast(MastConfig config, int augmentations, long dim) {

  /**
   * The loss, its terms, and what the analyses read.
   *
   * @param loss L
   * @param invariance L_inv
   * @param variance L_var
   * @param covariance L_cov
   * @param maskMean L_mask
   * @param masks m [K, d]
   * @param logVariance s [n, K]
   */
  public record Terms(Value loss, Value invariance, Value variance, Value covariance, Value maskMean, Value masks,
      Value logVariance) {}

  /** The soft masks m [K, d], declaring their parameters (scope {@code mast}). */
  public Value masks(Graph g) {
    try (var s = g.scope("mast")) {
      return switch (config.masks()) {
        case LEARNED -> g.sigmoid(g.mul(g.parameter("mask_logits", Shape.of(augmentations, dim), Init.zeros()),
            config.maskLogitScale()));
        case SHARED -> g.expand(g.sigmoid(g.mul(g.parameter("mask_logits", Shape.of(1, dim), Init.zeros()),
            config.maskLogitScale())), augmentations, dim);
        case FIXED_RANDOM -> g.constant(g.floatType(), Shape.of(augmentations, dim), fixedMasks());
      };
    }
  }

  /**
   * s [n, K] from |z1 − z2|. Gradients flow into the embedding through the head too; where the head
   * predicts well, ∂L/∂s = 0 and that path carries nothing.
   */
  public Value logVariance(Graph g, Value z1, Value z2) {
    try (var s = g.scope("mast")) {
      Value raw = Linear.of("uncertainty", dim, augmentations).apply(g, g.abs(g.sub(z1, z2)));
      double b = config.maxLogVariance();
      return g.mul(g.tanh(g.div(raw, b)), b);
    }
  }

  /** The loss for embeddings {@code z1, z2 [n, d]} and pair weights {@code pairs [n, K]}. */
  public Terms loss(Graph g, Value z1, Value z2, Value pairs) {
    Value m = masks(g);
    Value sq = g.square(g.sub(z1, z2));
    Value mass = g.reduceSum(m, true, 1);
    Value inv = g.div(g.matMul(sq, g.transpose(m, 1, 0)), g.transpose(mass, 1, 0));
    Value s = config.uncertainty() ? logVariance(g, z1, z2) : null;
    if (s != null && config.centredUncertainty()) {
      Value perType = g.div(g.reduceSum(g.mul(pairs, s), true, 0), g.add(g.reduceSum(pairs, true, 0), 1e-6));
      s = g.sub(s, perType);
    }
    Value perPair = s == null ? inv : g.add(g.mul(g.exp(g.neg(s)), inv), s);
    Value lInv = g.div(g.sumAll(g.mul(pairs, perPair)), g.sumAll(pairs));
    Value lVar = g.mul(g.add(subspaceHinge(g, z1, m), subspaceHinge(g, z2, m)), 0.5);
    Value lCov = g.add(Vicreg.covariancePenalty(g, z1), Vicreg.covariancePenalty(g, z2));
    Value lMask = g.meanAll(m);
    Value loss = g.add(g.add(g.mul(lInv, config.invariance()), g.mul(lVar, config.variance())),
        g.add(g.mul(lCov, config.covariance()), g.mul(lMask, config.sparsity())));
    return new Terms(loss, lInv, lVar, lCov, lMask, m, s == null ? g.zerosLike(inv) : s);
  }

  /** mean_k v(z ⊙ m_k), using Var_j(z ⊙ m_k) = m_kj² Var_j(z). */
  static Value subspaceHinge(Graph g, Value z, Value m) {
    Value var = Vicreg.columnVariance(g, z);
    Value std = g.sqrt(g.add(g.mul(g.square(m), var), Vicreg.EPSILON));
    return g.meanAll(g.relu(g.sub(1.0, std)));
  }

  private double[] fixedMasks() {
    double[] out = new double[(int) (augmentations * dim)];
    int keep = (int) Math.max(1, Math.round(config.fixedFraction() * dim));
    for (int k = 0; k < augmentations; k++) {
      SplittableRandom rng = Seeds.rng(config.maskSeed(), "mast-fixed-mask", k);
      for (int j : Seeds.distinct(rng, (int) dim, keep)) {
        out[(int) (k * dim + j)] = 1;
      }
    }
    return out;
  }
}
