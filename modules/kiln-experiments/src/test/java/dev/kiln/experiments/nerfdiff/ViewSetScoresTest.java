package dev.kiln.experiments.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.nerf.nerfdiff.NerfDiff;
import dev.kiln.nerf.nerfdiff.NerfDiffConfig;
import dev.kiln.nerf.nerfdiff.TriplaneFit;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.scenes.Category;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewSetScoresTest {

  private static final MultiViewDataset DATA = MultiViewDataset.generate(new MultiViewDataset.Config(
      List.of(Category.TOYCAR), 1, 8, 2, 16, null, null, 1, 3L));
  private static final List<View> TRUTH = DATA.test().get(0).heldOut();

  @Test
  void groundTruthIsExactlyAsSharpAsItselfAndABlurIsLess() {
    float[][] truth = TRUTH.stream().map(View::rgb).toArray(float[][]::new);
    assertThat(ViewSetScores.sharpness(truth, TRUTH)).isCloseTo(1.0, within(1e-12));
    float[][] blurred = new float[truth.length][];
    for (int i = 0; i < truth.length; i++) {
      blurred[i] = boxBlur(truth[i], 16, 16);
    }
    assertThat(ViewSetScores.sharpness(blurred, TRUTH)).isLessThan(0.6);
  }

  @Test
  void viewsOfOneSceneAreMoreConsistentThanViewsOfDifferentScenes() {
    NerfDiffConfig.Model m = new NerfDiffConfig.Model(16, 8, 32, 16, null, 8, 8, List.of(1, 2), 4, 100, null, null);
    NerfDiff model = NerfDiff.initialize(new NerfDiffConfig(m, null, null), 1);
    OrtBackend backend = new OrtBackend(BackendOptions.cpu(1));
    List<Camera> cameras = TRUTH.stream().map(View::camera).toList();
    float[][] truth = TRUTH.stream().map(View::rgb).toArray(float[][]::new);
    // View i of test scene i, each from its own camera: a set no single scene explains.
    float[][] mixed = new float[truth.length][];
    for (int i = 0; i < truth.length; i++) {
      mixed[i] = DATA.test().get(i).heldOut().get(i).rgb();
    }
    try (TriplaneFit fit = new TriplaneFit(model, 128, backend)) {
      double consistent = ViewSetScores.consistency(fit, truth, cameras, 1, 200, 2e-2, 4);
      double inconsistent = ViewSetScores.consistency(fit, mixed, cameras, 1, 200, 2e-2, 4);
      assertThat(consistent).isGreaterThan(inconsistent + 1.5);
    }
  }

  private static float[] boxBlur(float[] img, int h, int w) {
    float[] out = img.clone();
    for (int c = 0; c < 3; c++) {
      for (int y = 1; y < h - 1; y++) {
        for (int x = 1; x < w - 1; x++) {
          double s = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              s += img[c * h * w + (y + dy) * w + x + dx];
            }
          }
          out[c * h * w + y * w + x] = (float) (s / 9);
        }
      }
    }
    return out;
  }
}
