package dev.kiln.diffusion.arch;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Mlp;
import dev.kiln.nn.SinusoidalEmbedding;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.ModelInput;
import java.util.List;
import java.util.Map;

/**
 * Denoiser for low-dimensional data (2-D toy distributions, flattened small images):
 * {@code out = MLP([x, sinusoidal(t)])} with SiLU between layers and a zero-initialised last layer.
 * Inputs {@code x [N, dim]} and {@code t [N]} (training timestep as float); output {@code out [N, dim]}.
 *
 * @param config widths and embedding size
 */
public record MlpDenoiser(Config config) implements Architecture {

  /**
   * @param dataDim dimension of each sample
   * @param hidden width of the hidden layers
   * @param depth number of hidden layers
   * @param timeEmbedding width of the sinusoidal time features
   */
  public record Config(Integer dataDim, Integer hidden, Integer depth, Integer timeEmbedding) {
    public Config {
      dataDim = dataDim == null ? 2 : dataDim;
      hidden = hidden == null ? 128 : hidden;
      depth = depth == null ? 3 : depth;
      timeEmbedding = timeEmbedding == null ? 32 : timeEmbedding;
      if (dataDim < 1 || hidden < 1 || depth < 1 || timeEmbedding < 2 || timeEmbedding % 2 != 0) {
        throw new IllegalArgumentException("mlp-denoiser needs data_dim, hidden, depth >= 1 and an even"
            + " time_embedding >= 2; got data_dim=" + dataDim + ", hidden=" + hidden + ", depth=" + depth
            + ", time_embedding=" + timeEmbedding);
      }
    }
  }

  @Override
  public List<ModelInput> inputs() {
    return List.of(ModelInput.batched("x", config.dataDim()).withRange(-3, 3),
        new ModelInput("t", dev.kiln.graph.DType.FLOAT, dev.kiln.graph.Shape.batched("N"), 0, 999));
  }

  @Override
  public List<String> outputs() {
    return List.of("out");
  }

  @Override
  public Map<String, Value> build(Graph g, Map<String, Value> in) {
    Value temb = SinusoidalEmbedding.of(config.timeEmbedding()).apply(g, in.get("t"));
    Value h = g.concat(1, in.get("x"), temb);
    long[] widths = new long[config.depth() + 2];
    widths[0] = config.dataDim() + config.timeEmbedding();
    for (int i = 1; i <= config.depth(); i++) {
      widths[i] = config.hidden();
    }
    widths[widths.length - 1] = config.dataDim();
    return Map.of("out", new Mlp("mlp", widths, Activation.SILU, true).apply(g, h));
  }
}
