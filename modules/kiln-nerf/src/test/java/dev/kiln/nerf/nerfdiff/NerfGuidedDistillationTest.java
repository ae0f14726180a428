package dev.kiln.nerf.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.nerf.nerfdiff.NerfGuidedDistillation.Mode;
import dev.kiln.nerf.nerfdiff.NerfGuidedDistillation.Result;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.SceneRays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NerfGuidedDistillationTest {

  private static final MultiViewDataset DATA = TinyNerfDiff.data(1, 1, 4);
  private static final View INPUT = DATA.test().get(0).inputs().get(0);
  private static final List<Camera> VIRTUAL = DATA.test().get(0).heldOut().subList(0, 3).stream()
      .map(View::camera).toList();

  private static NerfDiffConfig.Distillation settings(double gamma, int finetune) {
    return new NerfDiffConfig.Distillation(gamma, 4, 0.9, finetune, 32, 1e-2, true);
  }

  @Test
  void withoutGuidanceOrFinetuningNgdIsThePlainCdmSampler() {
    NerfDiff model = NerfDiffExportTest.perturbed(5);
    Result ngd = run(model, Mode.NGD, settings(0, 0), 3);
    Result raw = run(model, Mode.CDM_SAMPLES, settings(0, 0), 3);
    for (int v = 0; v < VIRTUAL.size(); v++) {
      assertThat(ngd.refined()[v]).containsExactly(raw.refined()[v]);
    }
  }

  @Test
  void overwhelmingGuidanceKeepsTheRefinedViewsOnTheNerfRenderings() {
    NerfDiff model = NerfDiffExportTest.perturbed(5);
    Result ngd = run(model, Mode.NGD, settings(1e9, 0), 3);
    Result nerf = run(model, Mode.NERF_ONLY, settings(1e9, 0), 3);
    Result raw = run(model, Mode.CDM_SAMPLES, settings(1e9, 0), 3);
    for (int v = 0; v < VIRTUAL.size(); v++) {
      assertThat(maxDiff(ngd.refined()[v], nerf.views()[v])).isLessThan(1e-3);
      assertThat(maxDiff(raw.refined()[v], nerf.views()[v])).as("the unguided samples differ").isGreaterThan(0.05);
    }
  }

  @Test
  void ngdAndNaiveDistillationFinetuneTheNerfForTheSameNumberOfSteps() {
    NerfDiff model = NerfDiffExportTest.perturbed(6);
    Result nerf = run(model, Mode.NERF_ONLY, settings(1, 2), 4);
    Result ngd = run(model, Mode.NGD, settings(1, 2), 4);
    Result naive = run(model, Mode.NAIVE, settings(1, 2), 4);
    assertThat(ngd.finetuneSteps()).isEqualTo(8);
    assertThat(naive.finetuneSteps()).isEqualTo(8);
    assertThat(maxDiff(ngd.plane(), nerf.plane())).as("NGD moved the triplane").isGreaterThan(1e-4);
    assertThat(maxDiff(naive.views()[0], ngd.views()[0])).isGreaterThan(1e-4);
  }

  @Test
  void theSameSeedGivesTheSameReconstruction() {
    NerfDiff model = NerfDiffExportTest.perturbed(7);
    Result a = run(model, Mode.NGD, settings(1, 1), 9);
    Result b = run(model, Mode.NGD, settings(1, 1), 9);
    Result c = run(model, Mode.NGD, settings(1, 1), 10);
    assertThat(a.views()[1]).containsExactly(b.views()[1]);
    assertThat(maxDiff(a.refined()[1], c.refined()[1])).isGreaterThan(1e-4);
  }

  @Test
  void timestepsDescendFromTMax() {
    int[] ts = NerfGuidedDistillation.timesteps(1000, 0.98, 20);
    assertThat(ts[0]).isEqualTo(979);
    assertThat(ts).hasSize(20).isSortedAccordingTo((x, y) -> Integer.compare(y, x)).doesNotHaveDuplicates();
    assertThat(ts[19]).isEqualTo(49);
  }

  @Test
  void fittingAFreshFieldToViewsLowersItsError() {
    NerfDiff model = NerfDiff.initialize(TinyNerfDiff.config(1, null), 8);
    MultiViewDataset data = TinyNerfDiff.data(1, 1, 6);
    SceneRays pool = new SceneRays(data.train().get(0).inputs());
    try (TriplaneFit fit = new TriplaneFit(model, 64, TinyNerfDiff.BACKEND).startFresh(3, 2e-2)) {
      SplittableRandom rng = new SplittableRandom(1);
      double first = 0;
      double last = 0;
      for (int i = 0; i < 120; i++) {
        double mse = fit.step(pool, rng);
        if (i < 10) {
          first += mse / 10;
        }
        if (i >= 110) {
          last += mse / 10;
        }
      }
      assertThat(last).isLessThan(0.5 * first);
    }
  }

  private static Result run(NerfDiff model, Mode mode, NerfDiffConfig.Distillation d, long seed) {
    try (NerfGuidedDistillation ngd = new NerfGuidedDistillation(model, VIRTUAL.size(), d.raysPerStep(),
        TinyNerfDiff.BACKEND)) {
      return ngd.run(INPUT, VIRTUAL, mode, d, seed);
    }
  }

  private static double maxDiff(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
