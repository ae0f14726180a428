package dev.kiln.nerf.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.graph.DType;
import dev.kiln.nerf.render.Aabb;
import dev.kiln.nerf.render.RaySamples;
import dev.kiln.nerf.render.StratifiedSampler;
import dev.kiln.nerf.render.VolumeRenderer;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The exported single-image NeRF (composited by the volume renderer's host face) and the exported
 * CDM against the training graphs on the same inputs and weights.
 */
class NerfDiffExportTest {

  @Test
  void exportedSingleImageNerfRendersWhatTheTrainingGraphRenders() {
    NerfDiff model = perturbed(3);
    NerfDiffConfig.Model mc = model.config().model();
    MultiViewDataset data = TinyNerfDiff.data(1, 1, 2);
    View in = data.train().get(0).inputs().get(0);
    View out = data.train().get(0).inputs().get(1);
    int pixels = mc.pixels();
    int k = mc.samplesPerRay();
    RaySamples rs = CameraAlignedPoints.align(in.camera(),
        new StratifiedSampler(k, Aabb.unit(), 0.0).sample(out.camera().rays(), new SplittableRandom(2)));
    float[] trained;
    try (CompiledGraph g = model.graphs().nerfLoss(1, pixels, model.nerfWeights(), TinyNerfDiff.BACKEND)) {
      g.in("image").floats().put(0, in.rgb());
      g.in("points").floats().put(0, rs.points());
      g.in("delta").floats().put(0, rs.delta());
      g.run();
      trained = g.out("rgb").toFloatArray();
    }
    float[] served;
    try (Session s = TinyNerfDiff.BACKEND.load(model.exportSingleImageNerf(1, (long) pixels * k))) {
      Map<String, Tensor> o = s.run(Map.of("image", Tensor.of(in.rgb(), 1, 3, 8, 8),
          "points", Tensor.of(rs.points(), 1, (long) pixels * k, 3)));
      Tensor density = o.get("density").reshape(pixels, k);
      Tensor color = o.get("color").reshape(pixels, k, 3);
      served = VolumeRenderer.standard().render(density, color, rs.tTensor(), rs.deltaTensor(),
          NerfDiffGraphs.BACKGROUND).rgb().toFloatArray();
    }
    assertThat(maxAbsDifference(trained, served)).isLessThan(1e-5);
    assertThat(spread(trained)).as("the perturbed model renders a non-constant image").isGreaterThan(1e-3);
  }

  @Test
  void exportedCdmPredictsWhatTheTrainingGraphPredicts() {
    NerfDiff model = perturbed(4);
    int n = 2;
    float[] trained;
    Tensor z = Tensor.zeros(DType.FLOAT, n, 3, 8, 8);
    Tensor cond = random(n, 5);
    Tensor t = Tensor.of(new float[] {10, 77}, n);
    try (CompiledGraph g = model.graphs().cdmLoss(n, model.cdmWeights(), TinyNerfDiff.BACKEND)) {
      Tensor x0 = random(n, 6);
      Tensor noise = random(n, 7);
      g.in("x0").copyFrom(x0);
      g.in("noise").copyFrom(noise);
      g.in("cond").copyFrom(cond);
      g.in("t").copyFrom(t);
      float[] a = {0.9f, 0.4f};
      float[] s = {(float) Math.sqrt(1 - 0.81), (float) Math.sqrt(1 - 0.16)};
      g.in("alpha").floats().put(0, a);
      g.in("sigma").floats().put(0, s);
      g.run();
      trained = g.out("v").toFloatArray();
      int per = 3 * 64;
      for (int i = 0; i < z.size(); i++) {
        z.set(i, a[i / per] * x0.getFloat(i) + s[i / per] * noise.getFloat(i));
      }
    }
    float[] served;
    try (Session s = TinyNerfDiff.BACKEND.load(model.exportCdm(n))) {
      served = s.run(Map.of("z", z, "cond", cond, "t", t)).get("v").toFloatArray();
    }
    assertThat(maxAbsDifference(trained, served)).isLessThan(1e-5);
    assertThat(spread(trained)).isGreaterThan(1e-3);
  }

  /** A model whose zero-initialised output convolutions are made non-zero, so every layer matters. */
  static NerfDiff perturbed(long seed) {
    NerfDiff model = NerfDiff.initialize(TinyNerfDiff.config(1, null), seed);
    SplittableRandom rng = new SplittableRandom(seed);
    for (Map<String, Tensor> w : java.util.List.of(model.nerfWeights(), model.cdmWeights())) {
      w.forEach((name, v) -> {
        if (name.contains("out.conv")) {
          for (int i = 0; i < v.size(); i++) {
            v.set(i, 0.2 * (2 * rng.nextDouble() - 1));
          }
        }
      });
    }
    return model;
  }

  private static Tensor random(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor t = Tensor.zeros(DType.FLOAT, n, 3, 8, 8);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, 2 * rng.nextDouble() - 1);
    }
    return t;
  }

  private static double maxAbsDifference(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }

  private static double spread(float[] a) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (float v : a) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return hi - lo;
  }
}
