package dev.kiln.ssl.augment;

import java.util.Objects;

/**
 * One image on the host, channels first: {@code pixels [channels, height, width]} in [0, 1]. Transforms
 * return new pictures and leave their input untouched.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height rows
 * @param width columns
 * @param pixels {@code channels·height·width} values, channel-major then row-major
 */
public record Picture(int channels, int height, int width, float[] pixels) {

  public Picture {
    Objects.requireNonNull(pixels, "pixels");
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("a picture has 1 or 3 channels, got " + channels);
    }
    if (height < 1 || width < 1 || pixels.length != channels * height * width) {
      throw new IllegalArgumentException("a " + channels + "×" + height + "×" + width + " picture needs "
          + channels * height * width + " pixels, got " + pixels.length);
    }
  }

  /** An all-zero picture of this one's size. */
  public Picture blank() {
    return new Picture(channels, height, width, new float[pixels.length]);
  }

  /** The value of channel {@code c} at row {@code y}, column {@code x}. */
  public float at(int c, int y, int x) {
    return pixels[(c * height + y) * width + x];
  }

  /** Index of channel {@code c}, row {@code y}, column {@code x} in {@link #pixels}. */
  public int index(int c, int y, int x) {
    return (c * height + y) * width + x;
  }

  /** Pixels per channel. */
  public int area() {
    return height * width;
  }
}
