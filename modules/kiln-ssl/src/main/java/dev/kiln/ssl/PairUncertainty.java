package dev.kiln.ssl;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.inference.ForwardSession;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.ssl.model.SslNetwork;
import dev.kiln.ssl.objective.Mast;
import java.util.Map;

/**
 * MAST's predicted log σ² for pairs of views, with the network in evaluation mode: how ambiguous the
 * trained head finds a pair in each augmentation's subspace.
 */
public final class PairUncertainty {

  private PairUncertainty() {}

  /** The graph: {@code x1, x2 [n, C, H, W]} → {@code log_variance [n, K]}. */
  public static Graph graph(SslNetwork network, Mast mast, long n, long[] pictureShape) {
    Graph g = new Graph("mast_pair_uncertainty");
    Shape s = Shape.of(n, pictureShape[0], pictureShape[1], pictureShape[2]);
    Value both = g.concat(0, g.input("x1", DType.FLOAT, s), g.input("x2", DType.FLOAT, s));
    Value z = network.apply(g, both, false).embedding();
    g.output("log_variance", mast.logVariance(g, g.slice(z, 0, 0, n), g.slice(z, 0, n, 2 * n)));
    return g;
  }

  /** log σ² [N, K] for the pairs {@code first[i], second[i]} ([N, C, H, W] each). */
  public static float[][] predict(SslNetwork network, Mast mast, Weights weights, OrtBackend backend, Tensor first,
      Tensor second) {
    long[] shape = {first.dim(1), first.dim(2), first.dim(3)};
    Graph g = graph(network, mast, first.dim(0), shape);
    try (ForwardSession s = ForwardSession.compile(g, backend, weights, "log_variance")) {
      Tensor out = s.run(Map.of("x1", first, "x2", second)).get("log_variance");
      int n = (int) out.dim(0);
      int k = (int) out.dim(1);
      float[] all = out.toFloatArray();
      float[][] rows = new float[n][];
      for (int i = 0; i < n; i++) {
        rows[i] = java.util.Arrays.copyOfRange(all, i * k, (i + 1) * k);
      }
      return rows;
    }
  }
}
