package dev.kiln.diffusion.agm;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Mlp;
import dev.kiln.nn.SinusoidalEmbedding;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ModelInput;
import java.util.List;
import java.util.Map;

/**
 * The ε-, x₀- or v-prediction twin of {@link AgmMlp}: {@code out = MLP([flatten(x), sinusoidal(t)])}
 * reshaped to x's shape, for samples of any shape (digits [1, 28, 28] as well as 2-D points), so
 * that a diffusion baseline and an AGM model can be compared at equal widths and depth. For
 * {@code sample_shape} [d] it is the same network as {@code mlp-denoiser}. With {@code skip} it adds
 * the time-gated skip path {@code a(t) ⊙ flatten(x)} ({@link TimeGatedSkip}), the same path
 * {@link AgmMlp} gets, so that an ε-prediction target, ≈ x/σ_t near the data end, is representable
 * through a bottleneck narrower than the sample. Inputs
 * {@code x [N, ...sample_shape]}, {@code t [N]} (training timestep); output {@code out} of x's shape.
 *
 * @param config sizes
 */
public record FlatMlpDenoiser(Config config) implements Architecture {

  /**
   * @param sampleShape shape of one sample
   * @param hidden width of the hidden layers
   * @param depth number of hidden layers
   * @param timeEmbedding width of the sinusoidal time features
   * @param skip whether to add the time-gated skip path (false)
   */
  public record Config(List<Integer> sampleShape, Integer hidden, Integer depth, Integer timeEmbedding,
      Boolean skip) {
    public Config {
      sampleShape = SampleShape.of(sampleShape, "flat-mlp-denoiser");
      hidden = hidden == null ? 128 : hidden;
      depth = depth == null ? 3 : depth;
      timeEmbedding = timeEmbedding == null ? 32 : timeEmbedding;
      skip = skip != null && skip;
      if (hidden < 1 || depth < 1 || timeEmbedding < 2 || timeEmbedding % 2 != 0) {
        throw new IllegalArgumentException("flat-mlp-denoiser needs hidden, depth >= 1 and an even time_embedding"
            + " >= 2; got hidden=" + hidden + ", depth=" + depth + ", time_embedding=" + timeEmbedding);
      }
    }
  }

  @Override
  public List<ModelInput> inputs() {
    return List.of(ModelInput.batched("x", SampleShape.dims(config.sampleShape())).withRange(-3, 3),
        new ModelInput("t", DType.FLOAT, Shape.batched("N"), 0, 999));
  }

  @Override
  public List<String> outputs() {
    return List.of("out");
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> in) {
    Value x = in.get("x");
    Value temb = SinusoidalEmbedding.of(config.timeEmbedding()).apply(g, in.get("t"));
    long d = SampleShape.elements(config.sampleShape());
    long[] widths = new long[config.depth() + 2];
    widths[0] = d + config.timeEmbedding();
    for (int i = 1; i <= config.depth(); i++) {
      widths[i] = config.hidden();
    }
    widths[widths.length - 1] = d;
    Value flat = g.flatten(x, 1);
    Value out = new Mlp("mlp", widths, Activation.SILU, true).apply(g, g.concat(1, flat, temb));
    if (config.skip()) {
      out = g.add(out, TimeGatedSkip.apply(g, "skip", temb, List.of(flat), d));
    }
    return Map.of("out", g.reshape(out, SampleShape.batched(config.sampleShape())));
  }
}
