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
 * The AGM network (arXiv 2310.07805, {@code precond=True}): an MLP on the flattened position and
 * velocity, fed the flipped time s = 1 − t, with its output scaled by s,
 *
 * <pre>
 *   D(x, v, t) = (1 − t) · MLP([x, v, sinusoidal(time_scale·(1 − t)), log(1 − t)])
 * </pre>
 *
 * SiLU between layers, last layer zero-initialised. The sinusoidal features of time_scale·(1 − t)
 * are those an {@link FlatMlpDenoiser} of the same size sees for its training timestep (noise at
 * the high end), log(1 − t) resolves the end of the bridge. With {@code skip} the MLP's output gets the
 * time-gated skip path {@code a(t) ⊙ x + b(t) ⊙ v} ({@link TimeGatedSkip}) before the (1 − t) scaling,
 * since the bridge's target is linear in x and v plus a data term. Inputs {@code x [N, ...sample_shape]},
 * {@code v [N, ...sample_shape]}, {@code t [N]} (AGM time in [0, 1)); output {@code out} of x's shape.
 *
 * @param config sizes
 */
public record AgmMlp(Config config) implements Architecture {

  /**
   * @param sampleShape shape of one sample ([2] for 2-D points, [1, 28, 28] for digits)
   * @param hidden width of the hidden layers
   * @param depth number of hidden layers
   * @param timeEmbedding width of the sinusoidal time features
   * @param timeScale multiplies 1 − t before the sinusoidal features
   * @param skip whether to add the time-gated skip path (false)
   */
  public record Config(List<Integer> sampleShape, Integer hidden, Integer depth, Integer timeEmbedding,
      Double timeScale, Boolean skip) {
    public Config {
      sampleShape = SampleShape.of(sampleShape, "agm-mlp");
      hidden = hidden == null ? 128 : hidden;
      depth = depth == null ? 3 : depth;
      timeEmbedding = timeEmbedding == null ? 32 : timeEmbedding;
      timeScale = timeScale == null ? 1000.0 : timeScale;
      skip = skip != null && skip;
      if (hidden < 1 || depth < 1 || timeEmbedding < 2 || timeEmbedding % 2 != 0 || !(timeScale > 0)) {
        throw new IllegalArgumentException("agm-mlp needs hidden, depth >= 1, an even time_embedding >= 2 and"
            + " time_scale > 0; got hidden=" + hidden + ", depth=" + depth + ", time_embedding=" + timeEmbedding
            + ", time_scale=" + timeScale);
      }
    }
  }

  @Override
  public List<ModelInput> inputs() {
    long[] dims = SampleShape.dims(config.sampleShape());
    return List.of(ModelInput.batched("x", dims).withRange(-3, 3), ModelInput.batched("v", dims).withRange(-3, 3),
        new ModelInput("t", DType.FLOAT, Shape.batched("N"), 0, 0.99));
  }

  @Override
  public List<String> outputs() {
    return List.of("out");
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> in) {
    Value x = in.get("x");
    Value flipped = g.sub(1.0, in.get("t"));
    Value temb = SinusoidalEmbedding.of(config.timeEmbedding()).apply(g, g.mul(flipped, config.timeScale()));
    Value fx = g.flatten(x, 1);
    Value fv = g.flatten(in.get("v"), 1);
    Value h = g.concat(1, fx, fv, temb, g.unsqueeze(g.log(flipped), 1));
    long d = SampleShape.elements(config.sampleShape());
    long[] widths = new long[config.depth() + 2];
    widths[0] = 2 * d + config.timeEmbedding() + 1;
    for (int i = 1; i <= config.depth(); i++) {
      widths[i] = config.hidden();
    }
    widths[widths.length - 1] = d;
    Value flat = new Mlp("mlp", widths, Activation.SILU, true).apply(g, h);
    if (config.skip()) {
      flat = g.add(flat, TimeGatedSkip.apply(g, "skip", temb, List.of(fx, fv), d));
    }
    Value net = g.reshape(flat, SampleShape.batched(config.sampleShape()));
    long[] axes = new long[x.rank() - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    return Map.of("out", g.mul(net, g.unsqueeze(flipped, axes)));
  }
}
