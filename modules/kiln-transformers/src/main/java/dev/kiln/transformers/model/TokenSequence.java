package dev.kiln.transformers.model;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.TransformerOptions;
import dev.kiln.spi.ModelInput;
import java.util.List;
import java.util.Map;

/**
 * Integer tokens {@code tokens [N, length]} with values in {@code [0, vocab)}: {@code h⁰ = √dim·TokEmb[id] +
 * PosEmb[position]}, with CLS as the extra id {@code vocab} at position 0. Positions are absolute and
 * learned because C-PVR pointers name absolute positions. The token table starts at N(0, 1/dim) and is
 * scaled by √dim, as tensor2tensor's {@code sqrt_depth} embedding: each channel starts at unit scale,
 * the scale of the timing signals a Universal Transformer adds ({@link TimingSignal}).
 *
 * @param length tokens per example (without CLS)
 * @param vocab token values
 */
public record TokenSequence(long length, long vocab) implements SequenceEmbedding {

  public TokenSequence {
    if (length < 1 || vocab < 1) {
      throw new IllegalArgumentException("fields `length` and `vocab` must be >= 1, got " + length + ", " + vocab);
    }
  }

  @Override
  public List<ModelInput> inputs() {
    return List.of(new ModelInput("tokens", DType.INT64, Shape.batched("N", length), 0, vocab));
  }

  @Override
  public long tokens() {
    return length + 1;
  }

  @Override
  public Value embed(Graph g, Map<String, Value> inputs, long dim, TransformerOptions options) {
    Value tokens = inputs.get("tokens");
    try (var s = g.scope("embed")) {
      Value table = g.parameter("token", Shape.of(vocab + 1, dim), Init.normal(1 / Math.sqrt(dim)));
      Value positions = g.parameter("position", Shape.of(length + 1, dim), Init.normal(0.02));
      Value cls = g.add(g.mul(g.slice(tokens, 1, 0, 1), 0), vocab);
      return g.add(g.mul(g.gather(table, g.concat(1, cls, tokens), 0), Math.sqrt(dim)), positions);
    }
  }
}
