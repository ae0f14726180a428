package dev.kiln.nerf.ssd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.nerf.render.ImageQuality;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SSDNeRF training and test-time sampling on tiny scenes. */
class SsdNerfTrainingTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void sameSeedGivesIdenticalCodesDecoderAndPrior() {
    MultiViewDataset data = TinyModels.data(4, 1, 2, 8);
    float[][] first = trainedCodes(data, 7);
    float[][] again = trainedCodes(data, 7);
    float[][] other = trainedCodes(data, 8);
    for (int s = 0; s < first.length; s++) {
      assertThat(again[s]).containsExactly(first[s]);
    }
    assertThat(other[0]).isNotEqualTo(first[0]);
  }

  private static float[][] trainedCodes(MultiViewDataset data, long seed) {
    SsdNerf m = SsdNerf.initialize(TinyModels.config(3, null), seed);
    SsdTrainer.train(m, SsdTrainer.Schedule.SINGLE_STAGE, data.train(), TinyModels.BACKEND, seed, 1, QUIET);
    return m.trainedTriplanes().toArray(new float[0][]);
  }

  @Test
  void codesAndDecoderFitASceneFromItsViews() {
    MultiViewDataset data = TinyModels.data(1, 1, 6, 12);
    SsdNerfConfig cfg = new SsdNerfConfig(TinyModels.model(), new SsdNerfConfig.Training(120, 1, 96, 2, 2, 0, 3e-2,
        3e-3, null, null, 0.0, null, null, null), null);
    SsdNerf m = SsdNerf.initialize(cfg, 1);
    List<SsdTrainer.Point> log = SsdTrainer.train(m, SsdTrainer.Schedule.TWO_STAGE, data.train(), TinyModels.BACKEND,
        1, 20, QUIET);
    View v = data.train().get(0).inputs().get(0);
    float[] render = m.render(m.trainedTriplanes(), List.of(v.camera()), TinyModels.BACKEND)[0];
    float[] white = new float[render.length];
    Arrays.fill(white, 1f);
    double fitted = ImageQuality.psnr(render, v.rgb());
    assertThat(fitted).as("training-view PSNR after fitting").isGreaterThan(ImageQuality.psnr(white, v.rgb()) + 4);
    assertThat(log.get(log.size() - 1).diffusionLoss()).as("the second stage trained the prior").isFinite();
  }

  @Test
  void renderingGuidancePullsSamplesTowardsTheObservedView() {
    MultiViewDataset data = TinyModels.data(1, 2, 1, 10);
    SsdNerf m = SsdNerf.initialize(TinyModels.config(1, null), 4);
    double unguided = inputViewPsnr(m, data, 0.0);
    double guided = inputViewPsnr(m, data, 1e4);
    assertThat(guided).isGreaterThan(unguided + 1);
  }

  private static double inputViewPsnr(SsdNerf m, MultiViewDataset data, double scale) {
    SsdNerf g = m.withReconstruction(new SsdNerfConfig.Reconstruction(10, scale, 64, 0, 1, null, null, null, 16));
    GuidedReconstruction.Result r = GuidedReconstruction.reconstruct(g, data.test(), 1, TinyModels.BACKEND, 3);
    double total = 0;
    for (int s = 0; s < data.test().size(); s++) {
      View v = data.test().get(s).inputs().get(0);
      total += ImageQuality.psnr(m.render(List.of(r.guided().get(s)), List.of(v.camera()), TinyModels.BACKEND)[0],
          v.rgb());
    }
    return total / data.test().size();
  }
}
