package dev.kiln.transformers.model;

import dev.kiln.graph.Fans;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.FeedForward;
import dev.kiln.nn.LayerNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Mlp;
import dev.kiln.nn.TransformerOptions;

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
 * mean bank. The model-wide switches reach the static part ({@link TransformerOptions#configure}:
 * σReparam on W1⁰ and W2⁰) and the routing LayerNorm (absent under {@code norm: none}); the pool,
 * the banks and W_q, W_k stay plain.
 *
 * @param name the scope its ops are added in
 * @param router the routing sizes
 * @param routeNorm LN applied to the routing state, or null without LayerNorm
 * @param query W_q
 * @param pool the embeddings {@code [P, r]}
 * @param key W_k
 * @param banksIn B1 {@code [P, dim, ffn]}
 * @param banksOut B2 {@code [P, ffn, dim]}
 * @param mixIn B1 laid out for mixing: {@code [P, dim·ffn]} with one head, {@code [H, P, dim·ffn/H]}
 *     with H; built once at declaration, so an export folds it into one initializer that every
 *     unrolled step reads
 * @param mixOut B2 laid out the same way
 * @param base the static part: {@code w1} (W1⁰, b1) and {@code w2} (W2⁰, b2)
 * @param dim model width
 * @param ffn hidden width (divisible by the router heads)
 */
public record HyperFeedForward(String name, Router router, LayerNorm.Declared routeNorm, Value query, Value pool,
    Value key, Value banksIn, Value banksOut, Value mixIn, Value mixOut, Mlp.Declared base, long dim, long ffn)
    implements FeedForward {

  /** Declares a block's feed-forward network as a hyper network routed by {@code router}. */
  public static FeedForward.Declarer declarer(Router router) {
    return (g, block, options) -> declare(g, block.names().feedForward(), block.dim(), block.hidden(),
        block.activation(), router, options);
  }

  /** Declares the router ({@code <name>.router.*}), the pool, the banks and the static part ({@code <name>.base.*}). */
  public static HyperFeedForward declare(Graph g, String name, long dim, long ffn, Activation activation,
      Router router, TransformerOptions options) {
    if (ffn % router.heads() != 0) {
      throw new IllegalArgumentException("ffn width " + ffn + " is not divisible by `router_heads` " + router.heads());
    }
    long p = router.poolSize();
    long hr = (long) router.heads() * router.dim();
    try (var s = g.scope(name)) {
      LayerNorm.Declared norm;
      Value query;
      Value pool;
      Value key;
      try (var r = g.scope("router")) {
        norm = options.norm() == TransformerOptions.Norm.NONE ? null : LayerNorm.of("norm", dim).declare(g);
        query = g.parameter("query", Shape.of(dim, hr), Init.kaimingUniform());
        pool = g.parameter("pool", Shape.of(p, router.dim()), Init.normal(1.0));
        key = g.parameter("key", Shape.of(router.dim(), hr), Init.kaimingUniform());
      }
      Value banksIn = g.parameter("banks_in", Shape.of(p, dim, ffn), Init.kaimingUniform(), new Fans(dim, ffn));
      Value banksOut = g.parameter("banks_out", Shape.of(p, ffn, dim), Init.kaimingUniform(), new Fans(ffn, dim));
      Mlp.Declared base = new Mlp("base", new long[] {dim, ffn, dim}, activation, false).withLayerNames("w1", "w2")
          .declare(g, options);
      int heads = router.heads();
      long group = ffn / heads;
      Value mixIn;
      Value mixOut;
      if (heads == 1) {
        mixIn = g.reshape(banksIn, p, dim * ffn);
        mixOut = g.reshape(banksOut, p, ffn * dim);
      } else {
        mixIn = g.reshape(g.transpose(g.reshape(banksIn, p, dim, heads, group), 2, 0, 1, 3), heads, p, dim * group);
        mixOut = g.reshape(g.transpose(g.reshape(banksOut, p, heads, group, dim), 1, 0, 2, 3), heads, p, group * dim);
      }
      return new HyperFeedForward(name, router, norm, query, pool, key, banksIn, banksOut, mixIn, mixOut, base, dim,
          ffn);
    }
  }

  /** The routing weights α for a state {@code route [N, dim]}: {@code [H, N, P]}. */
  public Value routing(Graph g, Value route) {
    long heads = router.heads();
    long r = router.dim();
    long p = router.poolSize();
    Value state = routeNorm == null ? route : routeNorm.apply(g, route);
    Value q = g.reshape(g.matMul(state, query), 0, heads, 1, r);                               // [N, H, 1, r]
    Value keys = g.transpose(g.reshape(g.matMul(pool, key), p, heads, r), 1, 2, 0);           // [H, r, P]
    Value scores = g.mul(g.matMul(q, keys), 1 / Math.sqrt(r));                               // [N, H, 1, P]
    Value alpha = g.softmax(scores, -1);
    return g.transpose(g.reshape(alpha, 0, heads, p), 1, 0, 2);                              // [H, N, P]
  }

  /** x [N, T, dim] → [N, T, dim], with weights routed by the CLS token of the block's input. */
  @Override
  public Value apply(Graph g, Value x, Value blockInput) {
    try (var s = g.scope(name)) {
      return generated(g, x, routing(g, Tokens.first(g, blockInput)));
    }
  }

  /** act(x·W1 + b1)·W2 + b2 with W1, W2 mixed from the banks by {@code alpha [H, N, P]}. */
  private Value generated(Graph g, Value x, Value alpha) {
    long heads = router.heads();
    long p = router.poolSize();
    long group = ffn / heads;
    Linear.Declared layer1 = base.layers().get(0);
    Linear.Declared layer2 = base.layers().get(1);
    Value w1;
    Value w2;
    if (heads == 1) {
      Value a = g.reshape(alpha, -1, p);                                                       // [N, P]
      w1 = g.reshape(g.matMul(a, mixIn), -1, dim, ffn);
      w2 = g.reshape(g.matMul(a, mixOut), -1, ffn, dim);
    } else {
      w1 = g.reshape(g.transpose(g.reshape(g.matMul(alpha, mixIn), 0, 0, dim, group), 1, 2, 0, 3), 0, dim, ffn);
      w2 = g.reshape(g.transpose(g.reshape(g.matMul(alpha, mixOut), 0, 0, group, dim), 1, 0, 2, 3), 0, ffn, dim);
    }
    w1 = g.add(w1, layer1.weight());                                                           // [N, dim, ffn]
    w2 = g.add(w2, layer2.weight());                                                           // [N, ffn, dim]
    Value hidden = base.activation().apply(g, g.add(g.matMul(x, w1), layer1.bias()));
    return g.add(g.matMul(hidden, w2), layer2.bias());
  }
}
