package dev.kiln.nerf.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.nerf.render.Aabb;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.render.RaySamples;
import dev.kiln.nerf.render.StratifiedSampler;
import dev.kiln.nerf.render.VolumeRenderer;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two faces of rendering a triplane field give the same pixels: the training graph (field and
 * graph-face compositing in one ONNX model) and inference (the exported field network run by ONNX
 * Runtime, composited by the host face).
 */
class FieldRendererTest {

  private static final OrtBackend BACKEND = new OrtBackend(BackendOptions.cpu(2));
  private static final double[] BACKGROUND = {1, 1, 1};

  @Test
  void exportedFieldWithHostCompositingMatchesTheTrainingGraph() {
    TriplaneField field = new TriplaneField(new TriplaneField.Config(2, 6, 16, "concat"));
    int samples = 12;
    Intrinsics in = Intrinsics.fromFov(10, 10, 40);
    Camera cam = Camera.orbit(2.5, 40, 25, in);
    SplittableRandom rng = new SplittableRandom(2);
    float[] code = TriplaneFieldTest.random(rng, field.config().codeSize(), 1.5f);

    Graph g = new Graph("training_face");
    int p = in.pixels();
    Value x = g.input("code", Shape.of(1, field.config().codeChannels(), 6, 6));
    Value pts = g.input("points", Shape.of(1, (long) p * samples, 3));
    Value t = g.input("t", Shape.of(p, samples));
    Value delta = g.input("delta", Shape.of(p, samples));
    TriplaneField.Samples fs = field.build(g, x, pts);
    Value rgb = VolumeRenderer.standard().build(g, g.reshape(fs.density(), p, samples),
        g.reshape(fs.color(), p, samples, 3), t, delta, BACKGROUND).rgb();
    g.output("rgb", rgb);
    Weights w = Weights.initialize(g, 3);
    RaySamples rs = new StratifiedSampler(samples, Aabb.unit(), 0).sample(cam.rays(), null);
    float[] graphRgb;
    try (Session s = BACKEND.load(ModelWriter.of(g).weights(w.toProtos()).toBytes())) {
      Map<String, Tensor> feeds = new HashMap<>(Map.of("code", Tensor.of(code, 1, field.config().codeChannels(), 6, 6),
          "points", Tensor.of(rs.points(), 1, (long) p * samples, 3), "t", rs.tTensor(), "delta", rs.deltaTensor()));
      feeds.keySet().retainAll(s.inputNames());
      graphRgb = s.run(feeds).get("rgb").toFloatArray();
    }
    float[] hostImage;
    try (FieldRenderer r = new FieldRenderer(field, w.asMap(), VolumeRenderer.standard(), 1, p, samples, BACKGROUND,
        BACKEND)) {
      hostImage = r.render(List.of(code), List.of(cam))[0];
    }
    double spread = 0;
    for (int px = 0; px < p; px++) {
      for (int ch = 0; ch < 3; ch++) {
        assertThat((double) hostImage[ch * p + px]).as("pixel %d channel %d", px, ch)
            .isCloseTo(graphRgb[3 * px + ch], within(1e-5));
        spread = Math.max(spread, Math.abs(graphRgb[3 * px + ch] - 1));
      }
    }
    assertThat(spread).as("the field is visible, not just background").isGreaterThan(0.05);
  }
}
