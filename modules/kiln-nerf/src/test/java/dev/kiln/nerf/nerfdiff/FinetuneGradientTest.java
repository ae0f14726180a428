package dev.kiln.nerf.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.nerf.render.Aabb;
import dev.kiln.nerf.render.FiniteDifference;
import dev.kiln.nerf.render.RaySamples;
import dev.kiln.nerf.render.StratifiedSampler;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * NGD finetunes the triplane W through camera-aligned GridSample lookups, the decoder and
 * compositing; its autodiff gradient against central finite differences of the same compiled loss.
 */
class FinetuneGradientTest {

  @Test
  void triplaneGradientOfTheFinetuningLossMatchesFiniteDifferences() {
    NerfDiff model = NerfDiff.initialize(TinyNerfDiff.config(1, null), 4);
    MultiViewDataset data = TinyNerfDiff.data(1, 1, 2);
    View in = data.train().get(0).inputs().get(0);
    View target = data.train().get(0).inputs().get(1);
    int rays = 16;
    int k = model.config().model().samplesPerRay();
    int[] pixels = new int[rays];
    for (int i = 0; i < rays; i++) {
      pixels[i] = 4 * i;
    }
    RaySamples rs = CameraAlignedPoints.align(in.camera(),
        new StratifiedSampler(k, Aabb.unit(), 0.0).sample(target.camera().rays(pixels), new SplittableRandom(3)));
    Map<String, Tensor> weights = new LinkedHashMap<>(model.decoderCopy());
    int s = model.config().model().imageSize();
    Tensor plane = Tensor.zeros(dev.kiln.graph.DType.FLOAT, 1, 6, s, s);
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < plane.size(); i++) {
      plane.set(i, 1.5 * (2 * rng.nextDouble() - 1));
    }
    weights.put("plane", plane);
    try (CompiledGraph g = model.graphs().planeRender(rays, true, weights, TinyNerfDiff.BACKEND)) {
      g.in("points").floats().put(0, rs.points());
      g.in("delta").floats().put(0, rs.delta());
      for (int i = 0; i < rays; i++) {
        for (int c = 0; c < 3; c++) {
          g.in("target").set(3 * i + c, target.color(pixels[i], c));
        }
      }
      g.run();
      float[] analytic = g.out("grad:plane").toFloatArray();
      double worst = 0;
      double largest = 0;
      SplittableRandom pick = new SplittableRandom(1);
      for (int n = 0; n < 40; n++) {
        int i = pick.nextInt(plane.size());
        double numeric = FiniteDifference.central(g, plane, i, 1e-2);
        worst = Math.max(worst, Math.abs(numeric - analytic[i]) - 1e-2 * Math.abs(numeric));
        largest = Math.max(largest, Math.abs(numeric));
      }
      assertThat(largest).as("some checked texels have a gradient").isGreaterThan(1e-5);
      assertThat(worst).as("worst excess of |autodiff − finite difference| over 1e-2·|fd|").isLessThan(2e-4);
    }
  }
}
