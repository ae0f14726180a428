package dev.kiln.nerf.scenes;

import dev.kiln.nerf.render.Camera;
import dev.kiln.runtime.Tensor;

/**
 * One rendered view of a scene.
 *
 * @param camera where it was seen from
 * @param rgb colours [3, H, W] in [0, 1] (white background)
 * @param depth distance along each pixel's centre ray [H, W], +∞ where it sees background
 * @param objectId index of the primitive seen at each pixel centre [H, W], −1 for background
 */
public record View(Camera camera, float[] rgb, float[] depth, int[] objectId) {

  /** Image width. */
  public int width() {
    return camera.intrinsics().width();
  }

  /** Image height. */
  public int height() {
    return camera.intrinsics().height();
  }

  /** The colour of pixel {@code p} (row-major), channel {@code c}. */
  public float color(int p, int c) {
    return rgb[c * width() * height() + p];
  }

  /** The image as a tensor [3, H, W]. */
  public Tensor image() {
    return Tensor.of(rgb, 3, height(), width());
  }
}
