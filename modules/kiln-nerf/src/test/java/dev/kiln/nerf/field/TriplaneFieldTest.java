package dev.kiln.nerf.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Triplane features against a direct bilinear lookup written out on the host. */
class TriplaneFieldTest {

  private static final OrtBackend BACKEND = new OrtBackend(BackendOptions.cpu(2));

  @Test
  void concatenatedFeaturesAreBilinearLookupsInTheXyXzAndYzPlanes() {
    int c = 2;
    int s = 5;
    TriplaneField field = new TriplaneField(new TriplaneField.Config(c, s, 8, "concat"));
    SplittableRandom rng = new SplittableRandom(4);
    float[] code = random(rng, 3 * c * s * s, 1);
    float[] points = random(rng, 7 * 3, 1.1f);
    float[] f = features(field, code, points, 7);
    assertThat(f).hasSize(7 * 3 * c);
    int[][] axes = {{0, 1}, {0, 2}, {1, 2}};
    for (int p = 0; p < 7; p++) {
      for (int plane = 0; plane < 3; plane++) {
        for (int ch = 0; ch < c; ch++) {
          double u = points[3 * p + axes[plane][0]];
          double v = points[3 * p + axes[plane][1]];
          double expected = bilinear(code, (plane * c + ch) * s * s, s, u, v);
          assertThat((double) f[(p * 3 + plane) * c + ch]).as("point %d plane %d channel %d", p, plane, ch)
              .isCloseTo(expected, within(1e-5));
        }
      }
    }
  }

  @Test
  void summedFeaturesAreTheSumOverPlanes() {
    TriplaneField cat = new TriplaneField(new TriplaneField.Config(3, 4, 8, "concat"));
    TriplaneField sum = new TriplaneField(new TriplaneField.Config(3, 4, 8, "sum"));
    SplittableRandom rng = new SplittableRandom(9);
    float[] code = random(rng, 3 * 3 * 16, 1);
    float[] points = random(rng, 5 * 3, 1);
    float[] fc = features(cat, code, points, 5);
    float[] fs = features(sum, code, points, 5);
    for (int p = 0; p < 5; p++) {
      for (int ch = 0; ch < 3; ch++) {
        double total = fc[p * 9 + ch] + fc[p * 9 + 3 + ch] + fc[p * 9 + 6 + ch];
        assertThat((double) fs[p * 3 + ch]).isCloseTo(total, within(1e-5));
      }
    }
  }

  /** PyTorch's grid_sample (bilinear, align_corners=False, border) of one plane at (u, v). */
  private static double bilinear(float[] code, int offset, int s, double u, double v) {
    double x = Math.max(0, Math.min(s - 1, ((u + 1) * s - 1) / 2));
    double y = Math.max(0, Math.min(s - 1, ((v + 1) * s - 1) / 2));
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    int x1 = Math.min(x0 + 1, s - 1);
    int y1 = Math.min(y0 + 1, s - 1);
    double fx = x - x0;
    double fy = y - y0;
    return (1 - fy) * ((1 - fx) * code[offset + y0 * s + x0] + fx * code[offset + y0 * s + x1])
        + fy * ((1 - fx) * code[offset + y1 * s + x0] + fx * code[offset + y1 * s + x1]);
  }

  private static float[] features(TriplaneField field, float[] code, float[] points, int count) {
    Graph g = new Graph("features");
    int s = field.config().resolution();
    Value x = g.input("code", Shape.of(1, field.config().codeChannels(), s, s));
    Value p = g.input("points", Shape.of(1, count, 3));
    g.output("f", field.features(g, x, p));
    try (Session session = BACKEND.load(ModelWriter.of(g).toBytes())) {
      return session.run(Map.of("code", Tensor.of(code, 1, field.config().codeChannels(), s, s),
          "points", Tensor.of(points, 1, count, 3))).get("f").toFloatArray();
    }
  }

  static float[] random(SplittableRandom rng, int n, float scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (scale * (2 * rng.nextDouble() - 1));
    }
    return a;
  }
}
