package dev.kiln.nerf.nerfdiff;

import dev.kiln.nerf.nerfdiff.NerfGuidedDistillation.Mode;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.ImageQuality;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.OrtBackend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out measure of a trained NerfDiff model that its zoo card carries: each test scene is
 * reconstructed from its first input view (azimuth 30°, elevation 15°), by the single-image NeRF alone
 * and by NGD with the model's distillation settings, and rendered at the scene's eight held-out ring
 * views; PSNR and SSIM against the ray-traced truth, averaged over views and then scenes. NGD's noise
 * for scene i comes from seed {@code 1000·seed + i}, as in the study.
 */
public final class NerfDiffEvaluation {

  private NerfDiffEvaluation() {}

  /** {@code psnr_nerf}, {@code ssim_nerf}, {@code psnr_ngd}, {@code ssim_ngd} over {@code scenes}. */
  public static Map<String, Double> heldOut(NerfDiff model, List<SceneViews> scenes, long seed, OrtBackend backend) {
    int s = model.config().model().imageSize();
    double[] sums = new double[4];
    try (NerfGuidedDistillation ngd = new NerfGuidedDistillation(model, scenes.get(0).heldOut().size(), backend)) {
      for (SceneViews scene : scenes) {
        View input = scene.inputs().get(0);
        List<Camera> cameras = scene.heldOut().stream().map(View::camera).toList();
        int k = 0;
        for (Mode mode : List.of(Mode.NERF_ONLY, Mode.NGD)) {
          float[][] images = ngd.run(input, cameras, mode, model.config().distillation(), 1000 * seed + scene.index())
              .views();
          for (int v = 0; v < images.length; v++) {
            float[] truth = scene.heldOut().get(v).rgb();
            sums[k] += ImageQuality.psnr(images[v], truth) / images.length;
            sums[k + 1] += ImageQuality.ssim(images[v], truth, 3, s, s) / images.length;
          }
          k += 2;
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("psnr_nerf", sums[0] / scenes.size());
    out.put("ssim_nerf", sums[1] / scenes.size());
    out.put("psnr_ngd", sums[2] / scenes.size());
    out.put("ssim_ngd", sums[3] / scenes.size());
    return out;
  }
}
