package dev.kiln.diffusion.agm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.inference.ForwardSession;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimeGatedSkipTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));
  private static final int N = 3;
  private static final int D = 6;

  /** Forward pass of {@code arch} with freshly initialised weights whose skip-gate biases are {@code gates}. */
  private static double[] run(Architecture arch, Map<String, Tensor> in, double... gates) {
    Graph g = new Graph("skip");
    g.output("out", arch.build(g, arch.declareInputs(g)).get("out"));
    Weights w = Weights.initialize(g, 0);
    for (int k = 0; k < gates.length; k++) {
      Tensor bias = w.get("skip_gate" + k + ".bias");
      for (int i = 0; i < bias.size(); i++) {
        bias.set(i, gates[k]);
      }
    }
    try (ForwardSession s = ForwardSession.compile(g, CPU, w, "out")) {
      return s.run(in).get("out").toDoubleArray();
    }
  }

  private static double[] draw(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] v = new double[N * D];
    for (int i = 0; i < v.length; i++) {
      v[i] = rng.nextGaussian();
    }
    return v;
  }

  /**
   * Through a 2-wide bottleneck the MLP alone cannot return a 6-wide input; the skip path adds it
   * exactly: opening the gates (bias 1) changes the output by x, whatever the MLP computes.
   */
  @Test
  void baselineSkipAddsItsInputPastTheBottleneck() {
    double[] x = draw(1);
    Map<String, Tensor> in = Map.of("x", Tensor.of(DType.FLOAT, x, N, D),
        "t", Tensor.of(DType.FLOAT, new double[] {10, 400, 900}, N));
    FlatMlpDenoiser net = new FlatMlpDenoiser(new FlatMlpDenoiser.Config(List.of(D), 2, 1, 8, true));
    double[] open = run(net, in, 1.0);
    double[] closed = run(net, in, 0.0);
    double[] plain = run(new FlatMlpDenoiser(new FlatMlpDenoiser.Config(List.of(D), 2, 1, 8, false)), in);
    for (int i = 0; i < x.length; i++) {
      assertThat(open[i] - closed[i]).as("skip term %d", i).isCloseTo(x[i], within(1e-5));
      assertThat(closed[i]).as("zero gates leave the MLP alone, %d", i).isCloseTo(plain[i], within(1e-6));
    }
  }

  /** AGM's gates act on x and v before the (1 − t) output scaling. */
  @Test
  void agmSkipWeighsPositionAndVelocityBeforeTheTimeScaling() {
    double[] x = draw(2);
    double[] v = draw(3);
    double[] t = {0.1, 0.5, 0.9};
    Map<String, Tensor> in = Map.of("x", Tensor.of(DType.FLOAT, x, N, D), "v", Tensor.of(DType.FLOAT, v, N, D),
        "t", Tensor.of(DType.FLOAT, t, N));
    AgmMlp net = new AgmMlp(new AgmMlp.Config(List.of(D), 2, 1, 8, null, true));
    double[] open = run(net, in, 1.0, -2.0);
    double[] closed = run(net, in, 0.0, 0.0);
    for (int i = 0; i < x.length; i++) {
      double expected = (1 - t[i / D]) * (x[i] - 2 * v[i]);
      assertThat(open[i] - closed[i]).as("skip term %d", i).isCloseTo(expected, within(1e-5));
    }
  }
}
