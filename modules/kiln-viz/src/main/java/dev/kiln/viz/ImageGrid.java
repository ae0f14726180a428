package dev.kiln.viz;

import dev.kiln.runtime.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A grid of images, like torchvision's {@code make_grid} + {@code save_image}: images laid out
 * {@code columns} to a row, left to right then top to bottom, separated and framed by
 * {@code padding} white pixels. Values map linearly from {@code [low, high]} to 0..255 and are
 * clamped there (NaN becomes 0); one channel is grey, three are RGB. Each image pixel becomes a
 * {@code scale × scale} block (nearest neighbour), so 8×8 digits stay legible.
 *
 * <pre>
 *   width  = cols · (w · scale + padding) + padding,   cols = min(columns, n)
 *   height = rows · (h · scale + padding) + padding,   rows = ⌈n / cols⌉
 * </pre>
 *
 * @param low value shown as 0 (black)
 * @param high value shown as 255 (white)
 * @param columns images per row (torchvision's {@code nrow})
 * @param padding white pixels between and around images
 * @param scale integer upscale factor per image pixel
 */
public record ImageGrid(double low, double high, int columns, int padding, int scale) {

  private static final int WHITE = 0xFFFFFF;

  public ImageGrid {
    if (!(high > low) || !Double.isFinite(low) || !Double.isFinite(high)) {
      throw new IllegalArgumentException("value range must be finite with low < high, got [" + low + ", " + high + "]");
    }
    if (columns < 1 || padding < 0 || scale < 1) {
      throw new IllegalArgumentException("need columns ≥ 1, padding ≥ 0, scale ≥ 1; got columns " + columns
          + ", padding " + padding + ", scale " + scale);
    }
  }

  /** Values in {@code [low, high]}, 8 columns, 2 pixels of padding, no upscaling. */
  public static ImageGrid forRange(double low, double high) {
    return new ImageGrid(low, high, 8, 2, 1);
  }

  public ImageGrid withColumns(int columns) {
    return new ImageGrid(low, high, columns, padding, scale);
  }

  public ImageGrid withPadding(int padding) {
    return new ImageGrid(low, high, columns, padding, scale);
  }

  public ImageGrid withScale(int scale) {
    return new ImageGrid(low, high, columns, padding, scale);
  }

  /** The grid of {@code images [n, c, h, w]}, c = 1 or 3, as an RGB image. */
  public BufferedImage render(Tensor images) {
    if (images.rank() != 4) {
      throw new IllegalArgumentException("images must be [n, c, h, w], got " + images);
    }
    int n = (int) images.dim(0);
    int c = (int) images.dim(1);
    int h = (int) images.dim(2);
    int w = (int) images.dim(3);
    if (c != 1 && c != 3) {
      throw new IllegalArgumentException("images need 1 or 3 channels, got " + c + " in " + images);
    }
    if (n == 0 || h == 0 || w == 0) {
      throw new IllegalArgumentException("no pixels to draw in " + images);
    }
    int cols = Math.min(columns, n);
    int rows = (n + cols - 1) / cols;
    int cellW = w * scale + padding;
    int cellH = h * scale + padding;
    BufferedImage grid = new BufferedImage(cols * cellW + padding, rows * cellH + padding, BufferedImage.TYPE_INT_RGB);
    int[] white = new int[grid.getWidth()];
    Arrays.fill(white, WHITE);
    for (int y = 0; y < grid.getHeight(); y++) {
      grid.setRGB(0, y, white.length, 1, white, 0, white.length);
    }
    float[] data = images.toFloatArray();
    int plane = h * w;
    for (int i = 0; i < n; i++) {
      int x0 = padding + (i % cols) * cellW;
      int y0 = padding + (i / cols) * cellH;
      int base = i * c * plane;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = base + y * w + x;
          int r = level(data[p]);
          int rgb = c == 1 ? r << 16 | r << 8 | r : r << 16 | level(data[p + plane]) << 8 | level(data[p + 2 * plane]);
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              grid.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
            }
          }
        }
      }
    }
    return grid;
  }

  /** Renders {@code images [n, c, h, w]} and writes the grid to {@code png}, atomically. */
  public void write(Tensor images, Path png) throws IOException {
    PngFile.write(render(images), png);
  }

  /** {@code v} mapped from {@code [low, high]} to 0..255, rounded and clamped. */
  int level(double v) {
    double t = Math.rint((v - low) / (high - low) * 255);
    if (!(t > 0)) {
      return 0;
    }
    return t >= 255 ? 255 : (int) t;
  }
}
