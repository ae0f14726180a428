package dev.kiln.ssl;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.inference.ForwardSession;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.ssl.data.FactorImages;
import dev.kiln.ssl.model.SslNetwork;
import java.util.Map;

/**
 * Frozen features of unaugmented pictures, as downstream probes read them: backbone f(x) and embedding
 * z = g(f(x)), the expander's BatchNorm on its running statistics.
 *
 * @param backbone {@code [pictures][F]}
 * @param embedding {@code [pictures][d]}
 */
public record FeatureSet(float[][] backbone, float[][] embedding) {

  private static final int CHUNK = 256;

  /** The evaluation graph: {@code x [N, C, H, W]} → {@code features}, {@code embedding}. */
  public static Graph graph(SslNetwork network, long[] pictureShape) {
    Graph g = new Graph("ssl_features");
    Value x = g.input("x", DType.FLOAT, Shape.batched("N", pictureShape));
    SslNetwork.Outputs out = network.apply(g, x, false);
    g.output("features", out.features());
    g.output("embedding", out.embedding());
    return g;
  }

  /** Features of pictures {@code indices} of {@code data} under {@code weights}. */
  public static FeatureSet extract(SslNetwork network, Weights weights, OrtBackend backend, FactorImages data,
      int[] indices) {
    float[][] f = new float[indices.length][];
    float[][] z = new float[indices.length][];
    try (ForwardSession s = ForwardSession.compile(graph(network, data.pictureShape()), backend, weights, "features",
        "embedding")) {
      for (int start = 0; start < indices.length; start += CHUNK) {
        int n = Math.min(CHUNK, indices.length - start);
        int[] chunk = java.util.Arrays.copyOfRange(indices, start, start + n);
        Map<String, Tensor> out = s.run(Map.of("x", data.images(chunk)));
        rows(out.get("features"), f, start);
        rows(out.get("embedding"), z, start);
      }
    }
    return new FeatureSet(f, z);
  }

  private static void rows(Tensor t, float[][] dst, int start) {
    int n = (int) t.dim(0);
    int width = (int) t.dim(1);
    float[] all = t.toFloatArray();
    for (int i = 0; i < n; i++) {
      dst[start + i] = java.util.Arrays.copyOfRange(all, i * width, (i + 1) * width);
    }
  }
}
