package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.TransformerOptions;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ModelInput;
import java.util.List;
import java.util.Map;

/**
 * A standard Transformer encoder classifier (Vaswani et al. 2017, pre-LN; ViT, arXiv 2010.11929,
 * with a {@link PatchSequence}): {@code depth} distinct blocks, then a classifier on the CLS token.
 * The fixed-depth baseline of the Hyper-UT study ({@code docs/reproductions/hyper-ut.md}). The
 * model-wide {@code options} place LayerNorm (pre, post or none) and put σReparam on every linear
 * layer (arXiv 2303.06296).
 *
 * @param embedding tokens or patches
 * @param dims block widths
 * @param depth number of blocks
 * @param classes output classes
 * @param options LayerNorm placement and σReparam of every block, the head and the patch embedding
 */
public record FixedDepthEncoder(SequenceEmbedding embedding, BlockDims dims, int depth, long classes,
    TransformerOptions options) implements Architecture {

  public FixedDepthEncoder {
    if (depth < 1) {
      throw new IllegalArgumentException("field `depth` must be >= 1, got " + depth);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("field `classes` must be >= 2, got " + classes);
    }
  }

  @Override
  public List<ModelInput> inputs() {
    return embedding.inputs();
  }

  @Override
  public List<String> outputs() {
    return List.of("logits");
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> inputs) {
    Value h = embedding.embed(g, inputs, dims.dim(), options);
    for (int i = 0; i < depth; i++) {
      h = dims.block("block" + i).apply(g, h, options).output();
    }
    return Map.of("logits", ClassifierHead.declare(g, dims.dim(), classes, options).apply(g, Tokens.first(g, h)));
  }
}
