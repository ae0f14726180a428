package dev.kiln.viz;

import java.awt.image.BufferedImage;

/** Pictures read back into the tensors Kiln's image models take. */
public final class Pictures {

  private Pictures() {}

  /** The picture's RGB as planar floats in [0, 1]: {@code [3, height, width]}, red plane first. */
  public static float[] planarRgb(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int n = w * h;
    float[] rgb = new float[3 * n];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = img.getRGB(x, y);
        rgb[y * w + x] = ((p >> 16) & 0xFF) / 255f;
        rgb[n + y * w + x] = ((p >> 8) & 0xFF) / 255f;
        rgb[2 * n + y * w + x] = (p & 0xFF) / 255f;
      }
    }
    return rgb;
  }
}
