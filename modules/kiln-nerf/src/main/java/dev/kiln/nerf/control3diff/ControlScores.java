package dev.kiln.nerf.control3diff;

import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.ImageQuality;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores of one route and control, averaged over the evaluated scenes and samples: each test scene's
 * first input view gives the control, results are sampled for it and rendered at that view and at the
 * scene's 8 ring views.
 *
 * @param fidelity at the input view: PSNR (image), edge IoU (edges), pixel accuracy (segmentation)
 * @param inputSsim SSIM at the input view (image control; NaN otherwise)
 * @param novelPsnr PSNR against the scene's 8 ring views (image control; NaN otherwise)
 * @param novelSsim SSIM against the ring views (image control; NaN otherwise)
 * @param diversity per-pixel standard deviation over the samples, at the ring views
 * @param seconds wall time per sampled set of results
 */
public record ControlScores(double fidelity, double inputSsim, double novelPsnr, double novelSsim, double diversity,
    double seconds) {

  /**
   * Scores {@code route} and {@code control} over {@code scenes}, each controlled by its first input view,
   * with {@code samples} results per scene drawn from seed (seed, "scene", index).
   */
  public static ControlScores of(Control3Diff model, ControlledSampler.Route route, ControlSignal control,
      List<SceneViews> scenes, ControlledSampler.Settings settings, int samples, long seed, OrtBackend backend) {
    int side = model.gan().config().imageSize();
    double fidelity = 0;
    double inputSsim = 0;
    double novelPsnr = 0;
    double novelSsim = 0;
    double diversity = 0;
    double seconds = 0;
    for (SceneViews scene : scenes) {
      View input = scene.inputs().get(0);
      float[] c = control.of(input.rgb(), side);
      long t0 = System.nanoTime();
      List<float[]> styles = model.sample(route, control, c, input.camera(), samples, settings, backend,
          Seeds.mix(seed, "scene", scene.index()));
      seconds += (System.nanoTime() - t0) / 1e9;
      List<Camera> cameras = new ArrayList<>(List.of(input.camera()));
      scene.heldOut().forEach(v -> cameras.add(v.camera()));
      float[][][] images = model.render(styles, cameras, backend);
      for (float[][] perSample : images) {
        fidelity += control.fidelity(perSample[0], c, side) / samples;
        if (control == ControlSignal.IMAGE) {
          inputSsim += ImageQuality.ssim(perSample[0], input.rgb(), 3, side, side) / samples;
          for (int v = 0; v < scene.heldOut().size(); v++) {
            float[] truth = scene.heldOut().get(v).rgb();
            novelPsnr += ImageQuality.psnr(perSample[v + 1], truth) / samples / scene.heldOut().size();
            novelSsim += ImageQuality.ssim(perSample[v + 1], truth, 3, side, side) / samples / scene.heldOut().size();
          }
        }
      }
      diversity += spread(images) / scenes.size();
    }
    int n = scenes.size();
    boolean image = control == ControlSignal.IMAGE;
    return new ControlScores(fidelity / n, image ? inputSsim / n : Double.NaN, image ? novelPsnr / n : Double.NaN,
        image ? novelSsim / n : Double.NaN, diversity, seconds / n);
  }

  /** Mean over ring views and pixels of the standard deviation over samples. */
  private static double spread(float[][][] images) {
    int samples = images.length;
    int views = images[0].length - 1;
    int size = images[0][0].length;
    double total = 0;
    for (int v = 1; v <= views; v++) {
      for (int i = 0; i < size; i++) {
        double mean = 0;
        for (float[][] s : images) {
          mean += s[v][i] / samples;
        }
        double var = 0;
        for (float[][] s : images) {
          var += (s[v][i] - mean) * (s[v][i] - mean) / samples;
        }
        total += Math.sqrt(var);
      }
    }
    return total / views / size;
  }
}
