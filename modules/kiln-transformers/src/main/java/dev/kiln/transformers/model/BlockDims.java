package dev.kiln.transformers.model;

import dev.kiln.nn.Activation;
import dev.kiln.nn.TransformerBlock;

/**
 * The widths of an encoder block.
 *
 * @param dim model width
 * @param heads attention heads (divides {@code dim})
 * @param ffn hidden width of the feed-forward layer
 * @param activation the feed-forward non-linearity
 */
public record BlockDims(long dim, long heads, long ffn, Activation activation) {

  public BlockDims {
    if (dim < 1 || heads < 1 || ffn < 1) {
      throw new IllegalArgumentException("fields `dim`, `heads` and `ffn` must be >= 1, got " + dim + ", " + heads
          + ", " + ffn);
    }
    if (dim % heads != 0) {
      throw new IllegalArgumentException("field `dim` (" + dim + ") must be divisible by `heads` (" + heads + ")");
    }
  }

  /**
   * The block {@code name} with these widths and the encoders' parameter names ({@code norm1},
   * {@code attn}, {@code norm2}, {@code ffn.w1}, {@code ffn.w2}); its LayerNorm placement comes from
   * the options it is declared with.
   */
  public TransformerBlock block(String name) {
    return new TransformerBlock(name, dim, heads, ffn, true, activation, TransformerBlock.Names.ENCODER);
  }
}
