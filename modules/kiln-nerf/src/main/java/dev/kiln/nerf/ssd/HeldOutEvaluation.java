package dev.kiln.nerf.ssd;

import dev.kiln.nerf.field.FieldRenderer;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.ImageQuality;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.OrtBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Renders reconstructed scenes at their held-out views (host path: exported field network and the
 * host renderer) and scores them against the ray-traced ground truth.
 *
 * @param psnr mean PSNR over scenes and held-out views (dB)
 * @param ssim mean SSIM over scenes and held-out views
 * @param renders renders [scene][view] as [3, H, W]
 */
public record HeldOutEvaluation(double psnr, double ssim, float[][][] renders) {

  /** Scores triplanes {@code x.get(i)} of {@code scenes.get(i)} on every held-out view. */
  public static HeldOutEvaluation of(SsdNerf model, List<float[]> x, List<SceneViews> scenes, OrtBackend backend) {
    return of(model, x, scenes, SceneViews::heldOut, backend);
  }

  /** Scores triplanes against the views {@code views} picks from each scene (all scenes have as many). */
  public static HeldOutEvaluation of(SsdNerf model, List<float[]> x, List<SceneViews> scenes,
      Function<SceneViews, List<View>> views, OrtBackend backend) {
    int n = scenes.size();
    int count = views.apply(scenes.get(0)).size();
    View first = views.apply(scenes.get(0)).get(0);
    int h = first.height();
    int w = first.width();
    float[][][] renders = new float[n][count][];
    double psnr = 0;
    double ssim = 0;
    try (FieldRenderer r = model.renderer(n, h * w, backend)) {
      for (int k = 0; k < count; k++) {
        List<Camera> cams = new ArrayList<>();
        for (SceneViews s : scenes) {
          cams.add(views.apply(s).get(k).camera());
        }
        float[][] images = r.render(x, cams);
        for (int i = 0; i < n; i++) {
          float[] truth = views.apply(scenes.get(i)).get(k).rgb();
          renders[i][k] = images[i];
          psnr += ImageQuality.psnr(images[i], truth);
          ssim += ImageQuality.ssim(images[i], truth, 3, h, w);
        }
      }
    }
    return new HeldOutEvaluation(psnr / (n * count), ssim / (n * count), renders);
  }
}
