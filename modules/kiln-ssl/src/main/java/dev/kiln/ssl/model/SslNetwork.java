package dev.kiln.ssl.model;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import java.util.List;

/**
 * The network a self-supervised objective trains: encoder f then expander g, {@code z = g(f(x))}. The
 * backbone features f(x) are what downstream tasks usually read; the embedding z is where the objective
 * acts.
 *
 * @param encoder f
 * @param expander g
 */
public record SslNetwork(ResNetEncoder encoder, Expander expander) {

  /**
   * Both outputs.
   *
   * @param features f(x) [N, F]
   * @param embedding z [N, d]
   */
  public record Outputs(Value features, Value embedding) {}

  /** A small ResNet of the given widths (one block per stage, 4 groups) and an expander of the given widths. */
  public static SslNetwork of(long channels, List<Long> encoderWidths, List<Long> expanderWidths) {
    ResNetEncoder e = encoder(channels, encoderWidths);
    return new SslNetwork(e, new Expander(e.features(), expanderWidths));
  }

  /** The encoder of {@link #of}: one block per stage, 4 groups, ReLU. */
  public static ResNetEncoder encoder(long channels, List<Long> encoderWidths) {
    return encoder(channels, encoderWidths, Activation.RELU);
  }

  /** The encoder of {@link #of} with another non-linearity. */
  public static ResNetEncoder encoder(long channels, List<Long> encoderWidths, Activation activation) {
    return new ResNetEncoder(channels, encoderWidths, 1, 4, activation);
  }

  public Outputs apply(Graph g, Value images, boolean training) {
    Value f = encoder.apply(g, images);
    return new Outputs(f, expander.apply(g, f, training));
  }
}
