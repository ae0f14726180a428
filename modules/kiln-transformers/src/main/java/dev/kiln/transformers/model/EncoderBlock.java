package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;

/**
 * A pre-LN Transformer encoder block whose parameters are declared once, so that one block can be
 * applied at every step of a Universal Transformer:
 * <pre>
 *   u = h + MHA(LN1(h))
 *   y = u + FFN(LN2(u); route = h_CLS)
 * </pre>
 *
 * @param norm1 LN1
 * @param attention MHA
 * @param norm2 LN2
 * @param ffn the feed-forward layer, static or generated
 */
public record EncoderBlock(Norm norm1, SelfAttention attention, Norm norm2, FeedForward ffn) {

  /** Declares a block under {@code name}; {@code router} null gives a static feed-forward layer. */
  public static EncoderBlock declare(Graph g, String name, BlockDims dims, Router router) {
    try (var s = g.scope(name)) {
      Norm n1 = Norm.declare(g, "norm1", dims.dim());
      SelfAttention attn = SelfAttention.declare(g, "attn", dims.dim(), dims.heads());
      Norm n2 = Norm.declare(g, "norm2", dims.dim());
      FeedForward ffn = router == null
          ? StaticFeedForward.declare(g, "ffn", dims.dim(), dims.ffn(), dims.activation())
          : HyperFeedForward.declare(g, "ffn", dims.dim(), dims.ffn(), dims.activation(), router);
      return new EncoderBlock(n1, attn, n2, ffn);
    }
  }

  /** h [N, T, dim] → [N, T, dim]. */
  public Value apply(Graph g, Value h) {
    Value u = g.add(h, attention.apply(g, norm1.apply(g, h)));
    return g.add(u, ffn.apply(g, norm2.apply(g, u), Tokens.first(g, h)));
  }
}
