package dev.kiln.nerf.ssd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.nerf.render.FiniteDifference;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.runtime.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The code gradients SSDNeRF trains with, against central finite differences of the same compiled
 * losses (float32): the rendering loss through tanh, GridSample, the decoder and compositing; the
 * diffusion loss through x_t and through the v target.
 */
class LossGradientTest {

  @Test
  void renderingLossGradientMatchesFiniteDifferences() {
    SsdNerf model = SsdNerf.initialize(TinyModels.config(1, null), 2);
    MultiViewDataset data = TinyModels.data(2, 1, 2, 8);
    List<SceneRays> pools = data.train().stream().map(s -> new SceneRays(s.inputs())).toList();
    SsdGraphs.RenderLossSpec spec = new SsdGraphs.RenderLossSpec(true, true, 5, 3e-3, 0.5);
    try (CompiledGraph g = model.graphs().renderLoss(2, 16, spec, model.decoderWeights(), TinyModels.BACKEND)) {
      RayBatch.fill(g, pools, 16, 8, new SplittableRandom(4));
      fillRandom(g.in("code"), 0.8, 5);
      checkCodeGradient(g);
    }
  }

  @Test
  void diffusionLossGradientMatchesFiniteDifferences() {
    SsdNerf model = SsdNerf.initialize(TinyModels.config(1, null), 3);
    // A non-zero output layer, so the UNet's own Jacobian enters the code gradient too.
    model.priorWeights().forEach((name, w) -> {
      if (name.contains("out.conv")) {
        fillRandom(w, 0.05, 9);
      }
    });
    try (CompiledGraph g = model.graphs().diffusionLoss(2, true, true, true, model.priorWeights(),
        TinyModels.BACKEND)) {
      fillRandom(g.in("code"), 0.8, 6);
      model.fillDiffusionBatch(g, 2, 4.0, new SplittableRandom(8));
      checkCodeGradient(g);
    }
  }

  private static void checkCodeGradient(CompiledGraph g) {
    g.run();
    float[] analytic = g.out("grad:code").toFloatArray();
    Tensor code = g.in("code");
    SplittableRandom pick = new SplittableRandom(1);
    double worst = 0;
    double largest = 0;
    for (int k = 0; k < 12; k++) {
      int i = pick.nextInt(code.size());
      double numeric = FiniteDifference.central(g, code, i, 1e-2);
      worst = Math.max(worst, Math.abs(numeric - analytic[i]) - 1e-2 * Math.abs(numeric));
      largest = Math.max(largest, Math.abs(numeric));
    }
    assertThat(largest).as("some checked coordinates have a gradient").isGreaterThan(1e-5);
    assertThat(worst).as("worst excess of |autodiff − finite difference| over 1e-2·|fd|").isLessThan(2e-4);
  }

  static void fillRandom(Tensor t, double scale, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, scale * (2 * rng.nextDouble() - 1));
    }
  }
}
