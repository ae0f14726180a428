package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.TransformerOptions;
import dev.kiln.spi.ModelInput;
import java.util.List;
import java.util.Map;

/**
 * Turns a model's inputs into the token sequence an encoder reads, {@code [N, T, dim]}, with a CLS
 * token first (whose final state the classifier reads) and learned absolute positions added.
 */
public sealed interface SequenceEmbedding permits TokenSequence, PatchSequence {

  /** The inputs the embedding reads. */
  List<ModelInput> inputs();

  /** Tokens including CLS. */
  long tokens();

  /**
   * Declares the embedding's parameters under {@code embed} and returns {@code h⁰ [N, T, dim]}; a
   * linear embedding is configured by the model-wide {@code options} (σReparam, initialiser).
   */
  Value embed(Graph g, Map<String, Value> inputs, long dim, TransformerOptions options);
}
