package dev.kiln.transformers.model;

import dev.kiln.graph.Fans;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;

/**
 * A feed-forward layer whose weights a hyper network generates per example and per step (the
 * Hyper-Module of Hyper-UT, arXiv 2310.08866; report: {@code docs/reproductions/hyper-ut.md}). The
 * paper gives no router equations; these are Kiln's.
 *
 * <p>A pool of P learned embeddings {@code e_i ∈ R^r} stands for P weight banks. Router head
 * {@code h} (of H) attends from the current state over the pool:
 * <pre>
 *   q_h = LN(h_CLS)·W_q[h]                (W_q ∈ R^{dim × H·r})
 *   k_ih = e_i·W_k[h]                     (W_k ∈ R^{r × H·r})
 *   α_ih = softmax_i(q_h·k_ih / √r)
 * </pre>
 * A linear generator maps pool entries to weights, {@code θ(e_i) = G·e_i}; because it is linear,
 * {@code G(Σ α_i e_i) = Σ α_i·B_i} with banks {@code B_i = G·e_i}, which are stored directly (the
 * same function class whenever r ≥ P, and cheaper than storing G). Head h generates the columns of
 * W1 and rows of W2 that belong to its group {@code g_h} of {@code ffn/H} hidden units:
 * <pre>
 *   W1[:, g_h] = W1⁰[:, g_h] + Σ_i α_ih·B1_i[:, g_h]        B1_i ∈ R^{dim × ffn}
 *   W2[g_h, :] = W2⁰[g_h, :] + Σ_i α_ih·B2_i[g_h, :]        B2_i ∈ R^{ffn × dim}
 *   y = act(x·W1 + b1)·W2 + b2                               (one batched MatMul per example)
 * </pre>
 * With one head every hidden unit follows one mixture; with H heads the layer is a mixture of
 * H·P half-independent pieces at no extra parameters. The biases b1, b2 and the base weights
 * W1⁰, W2⁰ are static, so at uniform routing the layer is a plain feed-forward layer plus the
 * mean bank.
 *
 * @param router the routing sizes
 * @param routeNorm LN applied to the routing state
 * @param query W_q
 * @param pool the embeddings {@code [P, r]}
 * @param key W_k
 * @param banksIn B1 {@code [P, dim, ffn]}
 * @param banksOut B2 {@code [P, ffn, dim]}
 * @param base the static part: W1⁰, b1, W2⁰, b2
 * @param dim model width
 * @param ffn hidden width (divisible by the router heads)
 */
public record HyperFeedForward(Router router, Norm routeNorm, Value query, Value pool, Value key, Value banksIn,
    Value banksOut, StaticFeedForward base, long dim, long ffn) implements FeedForward {

  /** Declares the router ({@code <name>.router.*}), the pool, the banks and the static part. */
  public static HyperFeedForward declare(Graph g, String name, long dim, long ffn, Activation activation,
      Router router) {
    if (ffn % router.heads() != 0) {
      throw new IllegalArgumentException("ffn width " + ffn + " is not divisible by `router_heads` " + router.heads());
    }
    long p = router.poolSize();
    long hr = (long) router.heads() * router.dim();
    try (var s = g.scope(name)) {
      Norm norm;
      Value query;
      Value pool;
      Value key;
      try (var r = g.scope("router")) {
        norm = Norm.declare(g, "norm", dim);
        query = g.parameter("query", Shape.of(dim, hr), Init.kaimingUniform());
        pool = g.parameter("pool", Shape.of(p, router.dim()), Init.normal(1.0));
        key = g.parameter("key", Shape.of(router.dim(), hr), Init.kaimingUniform());
      }
      Value banksIn = g.parameter("banks_in", Shape.of(p, dim, ffn), Init.kaimingUniform(), new Fans(dim, ffn));
      Value banksOut = g.parameter("banks_out", Shape.of(p, ffn, dim), Init.kaimingUniform(), new Fans(ffn, dim));
      StaticFeedForward base = StaticFeedForward.declare(g, "base", dim, ffn, activation);
      return new HyperFeedForward(router, norm, query, pool, key, banksIn, banksOut, base, dim, ffn);
    }
  }

  /** The routing weights α for a state {@code route [N, dim]}: {@code [H, N, P]}. */
  public Value routing(Graph g, Value route) {
    long heads = router.heads();
    long r = router.dim();
    long p = router.poolSize();
    Value q = g.reshape(g.matMul(routeNorm.apply(g, route), query), 0, heads, 1, r);          // [N, H, 1, r]
    Value keys = g.transpose(g.reshape(g.matMul(pool, key), p, heads, r), 1, 2, 0);           // [H, r, P]
    Value scores = g.mul(g.matMul(q, keys), 1 / Math.sqrt(r));                               // [N, H, 1, P]
    Value alpha = g.softmax(scores, -1);
    return g.transpose(g.reshape(alpha, 0, heads, p), 1, 0, 2);                              // [H, N, P]
  }

  @Override
  public Value apply(Graph g, Value x, Value route) {
    long heads = router.heads();
    long p = router.poolSize();
    long group = ffn / heads;
    Value alpha = routing(g, route);                                                          // [H, N, P]
    Value w1;
    Value w2;
    if (heads == 1) {
      Value a = g.reshape(alpha, -1, p);                                                       // [N, P]
      w1 = g.reshape(g.matMul(a, g.reshape(banksIn, p, dim * ffn)), -1, dim, ffn);
      w2 = g.reshape(g.matMul(a, g.reshape(banksOut, p, ffn * dim)), -1, ffn, dim);
    } else {
      // Banks regrouped per head (parameter-only, folded into constants at export).
      Value in = g.reshape(g.transpose(g.reshape(banksIn, p, dim, heads, group), 2, 0, 1, 3), heads, p, dim * group);
      Value out = g.reshape(g.transpose(g.reshape(banksOut, p, heads, group, dim), 1, 0, 2, 3), heads, p, group * dim);
      w1 = g.reshape(g.transpose(g.reshape(g.matMul(alpha, in), 0, 0, dim, group), 1, 2, 0, 3), 0, dim, ffn);
      w2 = g.reshape(g.transpose(g.reshape(g.matMul(alpha, out), 0, 0, group, dim), 1, 0, 2, 3), 0, ffn, dim);
    }
    w1 = g.add(w1, base.in().weight());                                                        // [N, dim, ffn]
    w2 = g.add(w2, base.out().weight());                                                       // [N, ffn, dim]
    Value hidden = base.activation().apply(g, g.add(g.matMul(x, w1), base.in().bias()));
    return g.add(g.matMul(hidden, w2), base.out().bias());
  }
}
