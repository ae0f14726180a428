package dev.kiln.experiments.nerfdiff;

import dev.kiln.nerf.nerfdiff.TriplaneFit;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.ImageQuality;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.SceneRays;
import dev.kiln.runtime.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scores of a method's images at a set of views: PSNR and SSIM against the ground truth, a
 * sharpness ratio, and the 3D-consistency of the set.
 *
 * <p>Sharpness is the high-frequency energy relative to the ground truth, mean (∇²I)² / mean (∇²I_gt)²
 * with the 4-neighbour Laplacian over interior pixels and all channels: 1 is as sharp as the truth,
 * below 1 blurrier, above 1 noisier.
 *
 * <p>3D-consistency (leave one view out, as 3DiM scores its samples): fit a fresh world-frame
 * triplane NeRF to all views of the set but one, render the left-out camera, PSNR against the
 * left-out image of the set (not the ground truth), and rotate over {@code folds} evenly spaced
 * left-out views. A set a single scene explains scores high; views that disagree with each other
 * cannot all be fitted, and the left-out one is predicted poorly.
 */
final class ViewSetScores {

  private ViewSetScores() {}

  /** Mean PSNR of {@code images} against {@code truth} (each [3, S, S] in [0, 1]). */
  static double psnr(float[][] images, List<View> truth) {
    double sum = 0;
    for (int i = 0; i < images.length; i++) {
      sum += ImageQuality.psnr(images[i], truth.get(i).rgb());
    }
    return sum / images.length;
  }

  /** Mean SSIM of {@code images} against {@code truth}. */
  static double ssim(float[][] images, List<View> truth) {
    double sum = 0;
    for (int i = 0; i < images.length; i++) {
      View v = truth.get(i);
      sum += ImageQuality.ssim(images[i], v.rgb(), 3, v.height(), v.width());
    }
    return sum / images.length;
  }

  /** Mean squared Laplacian of {@code images} over that of {@code truth}. */
  static double sharpness(float[][] images, List<View> truth) {
    double a = 0;
    double b = 0;
    for (int i = 0; i < images.length; i++) {
      View v = truth.get(i);
      a += laplacianEnergy(images[i], v.height(), v.width());
      b += laplacianEnergy(v.rgb(), v.height(), v.width());
    }
    return a / b;
  }

  /** Mean (∇²I)² over the interior pixels of the three channels of {@code image [3, H, W]}. */
  static double laplacianEnergy(float[] image, int h, int w) {
    double sum = 0;
    int count = 0;
    for (int c = 0; c < 3; c++) {
      int o = c * h * w;
      for (int y = 1; y < h - 1; y++) {
        for (int x = 1; x < w - 1; x++) {
          int i = o + y * w + x;
          double lap = image[i - 1] + image[i + 1] + image[i - w] + image[i + w] - 4 * image[i];
          sum += lap * lap;
          count++;
        }
      }
    }
    return sum / count;
  }

  /**
   * Leave-one-out 3D-consistency of {@code images} seen from {@code cameras}: mean PSNR in dB over
   * {@code folds} left-out views of a fresh NeRF fitted by {@code fit} for {@code steps} Adam steps to
   * the other views.
   */
  static double consistency(TriplaneFit fit, float[][] images, List<Camera> cameras, int folds, int steps, double lr,
      long seed) {
    int n = images.length;
    double sum = 0;
    for (int f = 0; f < folds; f++) {
      int out = f * n / folds;
      List<View> rest = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (i != out) {
          rest.add(new View(cameras.get(i), images[i], null, null));
        }
      }
      SceneRays pool = new SceneRays(rest);
      fit.startFresh(Seeds.mix(seed, "consistency-init", f), lr);
      SplittableRandom rng = Seeds.rng(seed, "consistency", f);
      for (int s = 0; s < steps; s++) {
        fit.step(pool, rng);
      }
      sum += ImageQuality.psnr(fit.render(List.of(cameras.get(out)))[0], images[out]);
    }
    return sum / folds;
  }
}
