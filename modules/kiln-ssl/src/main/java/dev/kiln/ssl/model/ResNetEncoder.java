package dev.kiln.ssl.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.GroupNorm;
import java.util.List;

/**
 * A small ResNet (He et al.'s basic blocks) on kiln-nn's {@link Conv2d} and {@link GroupNorm}: a 3×3 stem,
 * then one stage per width, each of {@code blocks} basic blocks (3×3 conv, norm, ReLU, 3×3 conv, norm,
 * plus the input, ReLU), every stage after the first halving the resolution in its first block (with a
 * 1×1 strided projection on the skip path); global average pooling gives the backbone features.
 * GroupNorm rather than BatchNorm keeps a picture's features independent of its batch.
 *
 * @param inChannels image channels
 * @param widths channels per stage
 * @param blocks basic blocks per stage
 * @param groups GroupNorm groups (must divide every width)
 * @param activation the non-linearity (ReLU in ResNet)
 */
public record ResNetEncoder(long inChannels, List<Long> widths, int blocks, long groups, Activation activation) {

  public ResNetEncoder {
    widths = List.copyOf(widths);
    if (widths.isEmpty() || blocks < 1) {
      throw new IllegalArgumentException("a ResNet needs at least one stage of at least one block, got widths "
          + widths + " and " + blocks + " blocks");
    }
    for (long w : widths) {
      if (w % groups != 0) {
        throw new IllegalArgumentException("ResNet width " + w + " does not split into " + groups + " groups");
      }
    }
  }

  /** Width of the backbone features: the last stage's channels. */
  public long features() {
    return widths.get(widths.size() - 1);
  }

  /** x [N, C, H, W] → features [N, last width]. */
  public Value apply(Graph g, Value x) {
    try (var s = g.scope("encoder")) {
      long w0 = widths.get(0);
      Value h = activation.apply(g, GroupNorm.of("stem.norm", groups, w0).apply(g, Conv2d.same("stem.conv", inChannels, w0, 3)
          .apply(g, x)));
      long in = w0;
      for (int stage = 0; stage < widths.size(); stage++) {
        long out = widths.get(stage);
        for (int b = 0; b < blocks; b++) {
          long stride = stage > 0 && b == 0 ? 2 : 1;
          h = basicBlock(g, "stage" + stage + ".block" + b, h, in, out, stride);
          in = out;
        }
      }
      return g.flatten(g.globalAveragePool(h), 1);
    }
  }

  private Value basicBlock(Graph g, String name, Value x, long in, long out, long stride) {
    try (var s = g.scope(name)) {
      Value h = Conv2d.of("conv1", in, out, 3, stride, 1).apply(g, x);
      h = activation.apply(g, GroupNorm.of("norm1", groups, out).apply(g, h));
      h = GroupNorm.of("norm2", groups, out).apply(g, Conv2d.same("conv2", out, out, 3).apply(g, h));
      Value skip = x;
      if (stride != 1 || in != out) {
        skip = GroupNorm.of("skip.norm", groups, out).apply(g, Conv2d.of("skip.conv", in, out, 1, stride, 0)
            .apply(g, x));
      }
      return activation.apply(g, g.add(h, skip));
    }
  }
}
