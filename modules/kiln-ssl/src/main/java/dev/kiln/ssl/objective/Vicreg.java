package dev.kiln.ssl.objective;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * VICReg (Bardes, Ponce and LeCun, arXiv 2105.04906) as its official code computes it, for embeddings
 * {@code z1, z2 [n, d]} of two views:
 * <pre>
 *   s    = mean((z1 − z2)²)                                   over all n·d entries
 *   v(z) = mean_j relu(1 − sqrt(Var_j(z) + 1e-4))             Var unbiased (n − 1)
 *   c(z) = Σ_{i≠j} C_ij² / d,   C = (z − z̄)ᵀ(z − z̄) / (n − 1)
 *   L    = λ s + μ (v(z1) + v(z2)) / 2 + ν (c(z1) + c(z2))    λ = μ = 25, ν = 1
 * </pre>
 *
 * @param invariance λ
 * @param variance μ
 * @param covariance ν
 */
public record Vicreg(double invariance, double variance, double covariance) {

  /** The variance hinge's ε inside the square root. */
  public static final double EPSILON = 1e-4;

  /** The official coefficients 25, 25, 1. */
  public static Vicreg standard() {
    return new Vicreg(25, 25, 1);
  }

  /**
   * The loss and its three terms (unweighted).
   *
   * @param loss the weighted sum
   * @param invariance s
   * @param variance (v(z1) + v(z2)) / 2
   * @param covariance c(z1) + c(z2)
   */
  public record Terms(Value loss, Value invariance, Value variance, Value covariance) {}

  public Terms loss(Graph g, Value z1, Value z2) {
    Value s = g.meanAll(g.square(g.sub(z1, z2)));
    Value v = g.mul(g.add(varianceHinge(g, z1), varianceHinge(g, z2)), 0.5);
    Value c = g.add(covariancePenalty(g, z1), covariancePenalty(g, z2));
    Value loss = g.add(g.add(g.mul(s, invariance), g.mul(v, variance)), g.mul(c, covariance));
    return new Terms(loss, s, v, c);
  }

  /** Var_j(z), unbiased, as {@code [1, d]}. */
  public static Value columnVariance(Graph g, Value z) {
    long n = z.shape().dim(0).size();
    Value centred = g.sub(z, g.reduceMean(z, true, 0));
    return g.div(g.reduceSum(g.square(centred), true, 0), n - 1.0);
  }

  /** v(z) = mean_j relu(1 − sqrt(Var_j(z) + ε)). */
  public static Value varianceHinge(Graph g, Value z) {
    return g.meanAll(g.relu(g.sub(1.0, g.sqrt(g.add(columnVariance(g, z), EPSILON)))));
  }

  /** c(z) = Σ_{i≠j} C_ij² / d: all squared entries of C minus its squared diagonal (the variances). */
  public static Value covariancePenalty(Graph g, Value z) {
    long n = z.shape().dim(0).size();
    long d = z.shape().dim(1).size();
    Value centred = g.sub(z, g.reduceMean(z, true, 0));
    Value cov = g.div(g.matMul(g.transpose(centred, 1, 0), centred), n - 1.0);
    Value diagonal = g.div(g.reduceSum(g.square(centred), true, 0), n - 1.0);
    return g.div(g.sub(g.sumAll(g.square(cov)), g.sumAll(g.square(diagonal))), (double) d);
  }
}
