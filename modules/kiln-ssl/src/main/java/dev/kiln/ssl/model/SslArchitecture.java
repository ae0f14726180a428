package dev.kiln.ssl.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ModelInput;
import java.util.List;
import java.util.Map;

/**
 * {@code "ssl-resnet"}: the encoder f of an {@link SslNetwork} as a recipe's architecture,
 * {@code x [N, C, side, side]} (pixels in [0, 1]) → {@code features} f(x) {@code [N, F]}. The expander is
 * not part of it: it is the self-supervised objective's head, built by the task and left behind when the
 * encoder is exported, as VICReg and MAST discard their projector after pre-training. GroupNorm keeps a
 * picture's features independent of its batch.
 */
public final class SslArchitecture implements Architecture {

  /**
   * The recipe's {@code architecture} section.
   *
   * @param channels picture channels (3)
   * @param side picture side in pixels (16)
   * @param widths channels per ResNet stage (8, 16, 32); F is the last
   * @param activation the encoder's non-linearity (relu, as in ResNet)
   */
  public record Config(Integer channels, Integer side, List<Long> widths, String activation) {
    public Config {
      activation = activation == null ? "relu" : activation;
      Activation.parse(activation);
      channels = channels == null ? 3 : channels;
      side = side == null ? 16 : side;
      widths = widths == null ? List.of(8L, 16L, 32L) : List.copyOf(widths);
      if (channels < 1 || side < 4 || widths.isEmpty()) {
        throw new IllegalArgumentException("ssl-resnet needs channels >= 1, side >= 4 and at least one width, got"
            + " channels " + channels + ", side " + side + ", widths " + widths);
      }
    }
  }

  private final Config config;
  private final ResNetEncoder encoder;

  public SslArchitecture(Config config) {
    this.config = config;
    this.encoder = SslNetwork.encoder(config.channels(), config.widths(), Activation.parse(config.activation()));
  }

  public ResNetEncoder encoder() {
    return encoder;
  }

  /** C, H, W of the pictures it reads. */
  public long[] pictureShape() {
    return new long[] {config.channels(), config.side(), config.side()};
  }

  @Override
  public List<ModelInput> inputs() {
    return List.of(ModelInput.batched("x", pictureShape()).withRange(0, 1));
  }

  @Override
  public List<String> outputs() {
    return List.of("features");
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> inputs) {
    return Map.of("features", encoder.apply(g, inputs.get("x")));
  }
}
