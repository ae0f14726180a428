package dev.kiln.transformers.model;

/**
 * The size of a {@link HyperFeedForward}'s weight pool and of the attention that routes over it.
 *
 * @param poolSize number of pool entries P (each a learned embedding and its weight bank)
 * @param heads router heads H; head h chooses the weights of hidden units {@code h·ffn/H … (h+1)·ffn/H − 1}
 * @param dim width of the pool embeddings and of each head's query and key
 */
public record Router(int poolSize, int heads, int dim) {

  public Router {
    if (poolSize < 1) {
      throw new IllegalArgumentException("field `pool_size` must be >= 1, got " + poolSize);
    }
    if (heads < 1) {
      throw new IllegalArgumentException("field `router_heads` must be >= 1, got " + heads);
    }
    if (dim < 1) {
      throw new IllegalArgumentException("field `router_dim` must be >= 1, got " + dim);
    }
  }
}
