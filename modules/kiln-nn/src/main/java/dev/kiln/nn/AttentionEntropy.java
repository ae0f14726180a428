package dev.kiln.nn;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attention entropy, the quantity σReparam (arXiv 2303.06296, §1) monitors: for the attention row
 * of query i, {@code Ent(A_i) = −Σ_j A_ij·log(A_ij + ε)} with ε = 1e−6, averaged over the batch and
 * the queries, per head. Uniform attention over T keys has entropy log T, one-hot attention 0;
 * "entropy collapse" is the normalised value {@code Ent / log T} falling to about 0. The values are
 * computed with the gradient stopped: they are for logging, not for the loss. Report:
 * {@code docs/reproductions/sigma-reparam.md}.
 */
public final class AttentionEntropy {

  /** Added to A inside the logarithm, as in the official speech code. */
  public static final double EPSILON = 1e-6;

  private AttentionEntropy() {}

  /** probs [N, heads, Tq, Tk] → [heads]: mean over N and queries of −Σ_j A log(A + ε), in nats. */
  public static Value perHead(Graph g, Value probs) {
    if (probs.rank() != 4) {
      throw new IllegalArgumentException("attention probabilities must be [N, heads, Tq, Tk], got " + probs.shape());
    }
    Value a = g.stopGradient(probs);
    Value rowEntropy = g.neg(g.reduceSum(g.mul(a, g.log(g.add(a, EPSILON))), false, 3));
    return g.reduceMean(rowEntropy, false, 0, 2);
  }

  /** probs [N, heads, Tq, Tk] → [heads]: {@link #perHead} divided by log Tk (1 for uniform attention). */
  public static Value normalisedPerHead(Graph g, Value probs) {
    long keys = probs.shape().dim(3).size();
    if (keys < 2) {
      throw new IllegalArgumentException("normalised entropy needs at least 2 keys, got " + probs.shape());
    }
    return g.div(perHead(g, probs), Math.log(keys));
  }

  /**
   * Scalars to log for a stack of attention layers: {@code attn_entropy/layer<l>/head<h>} (nats) for
   * every layer and head, and {@code attn_entropy_norm/layer<l>} (the mean over heads divided by
   * log T).
   *
   * @param probsPerLayer attention probabilities [N, heads, T, T] of each layer, first layer first
   */
  public static Map<String, Value> metrics(Graph g, List<Value> probsPerLayer) {
    Map<String, Value> m = new LinkedHashMap<>();
    for (int l = 0; l < probsPerLayer.size(); l++) {
      Value probs = probsPerLayer.get(l);
      Value heads = perHead(g, probs);
      long count = probs.shape().dim(1).size();
      for (int h = 0; h < count; h++) {
        m.put("attn_entropy/layer" + l + "/head" + h,
            g.gather(heads, g.constant(DType.INT64, Shape.scalar(), h), 0));
      }
      m.put("attn_entropy_norm/layer" + l, g.div(g.meanAll(heads), Math.log(probs.shape().dim(3).size())));
    }
    return m;
  }
}
