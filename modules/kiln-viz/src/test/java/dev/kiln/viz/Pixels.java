package dev.kiln.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reading rendered figures back in tests. */
final class Pixels {

  private Pixels() {}

  /** The PNG at {@code file}, decoded; fails if it is missing or not an image. */
  static BufferedImage read(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException(file + " is not a readable image");
    }
    return image;
  }

  /** The 0xRRGGBB colour at (x, y). */
  static int rgb(BufferedImage image, int x, int y) {
    return image.getRGB(x, y) & 0xFFFFFF;
  }

  /** Pixels in the column range {@code [x0, x1)} that are not white. */
  static int nonWhite(BufferedImage image, int x0, int x1) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = x0; x < x1; x++) {
        if (rgb(image, x, y) != 0xFFFFFF) {
          count++;
        }
      }
    }
    return count;
  }

  /** Pixels in the column range {@code [x0, x1)} whose blue clearly dominates red (the dot colour). */
  static int bluish(BufferedImage image, int x0, int x1) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = x0; x < x1; x++) {
        int c = rgb(image, x, y);
        if ((c & 0xFF) - (c >> 16 & 0xFF) > 40) {
          count++;
        }
      }
    }
    return count;
  }

  /** Pixels exactly equal to {@code rgb}. */
  static int count(BufferedImage image, int rgb) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (rgb(image, x, y) == rgb) {
          count++;
        }
      }
    }
    return count;
  }
}
