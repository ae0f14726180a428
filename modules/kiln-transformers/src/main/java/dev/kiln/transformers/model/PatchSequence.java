package dev.kiln.transformers.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Init;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Linear;
import dev.kiln.nn.TransformerOptions;
import dev.kiln.spi.ModelInput;
import java.util.List;
import java.util.Map;

/**
 * Images {@code x [N, channels·size·size]} (flattened, values in [-1, 1]) cut into non-overlapping
 * {@code patch × patch} patches, each linearly embedded (ViT's patch embedding, written as a reshape
 * and a {@link Linear} rather than a strided convolution so float64 gradient checks run), with a learned CLS
 * token first and learned absolute positions. MNIST with 7×7 patches gives 16 patches + CLS.
 *
 * @param imageSize image height and width
 * @param patchSize patch height and width (divides {@code imageSize})
 * @param channels image channels
 */
public record PatchSequence(long imageSize, long patchSize, long channels) implements SequenceEmbedding {

  public PatchSequence {
    if (imageSize < 1 || patchSize < 1 || channels < 1 || imageSize % patchSize != 0) {
      throw new IllegalArgumentException("field `patch_size` (" + patchSize + ") must divide `image_size` ("
          + imageSize + "), and `channels` must be >= 1");
    }
  }

  private long grid() {
    return imageSize / patchSize;
  }

  @Override
  public List<ModelInput> inputs() {
    return List.of(ModelInput.batched("x", channels * imageSize * imageSize).withRange(-1, 1));
  }

  @Override
  public long tokens() {
    return grid() * grid() + 1;
  }

  @Override
  public Value embed(Graph g, Map<String, Value> inputs, long dim, TransformerOptions options) {
    Value x = inputs.get("x");
    long grid = grid();
    long p = patchSize;
    Value patches = g.reshape(g.transpose(g.reshape(x, 0, channels, grid, p, grid, p), 0, 2, 4, 1, 3, 5),
        0, grid * grid, channels * p * p);
    try (var s = g.scope("embed")) {
      Value tokens = options.configure(Linear.of("patch", channels * p * p, dim)).apply(g, patches);
      Value cls = g.parameter("cls", Shape.of(1, 1, dim), Init.normal(0.02));
      Value batch = g.apply("Shape", List.of(x), Graph.attrs("start", 0L, "end", 1L));
      Value clsTokens = g.expand(cls, g.concat(0, batch, g.constantLongs(1, dim)));
      Value positions = g.parameter("position", Shape.of(grid * grid + 1, dim), Init.normal(0.02));
      return g.add(g.concat(1, clsTokens, tokens), positions);
    }
  }
}
