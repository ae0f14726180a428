package dev.kiln.ssl.augment;

/**
 * Grey conversion with probability {@code probability}: every channel set to the luma
 * {@code 0.299 R + 0.587 G + 0.114 B} (torchvision's weights). A grey picture is unchanged. Records applied
 * (0 or 1).
 *
 * @param probability chance of the conversion
 */
public record Grayscale(double probability) implements Switched {

  public Grayscale {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("grayscale probability must be in [0, 1], got " + probability);
    }
  }

  @Override
  public String name() {
    return "grayscale";
  }

  @Override
  public Picture apply(Picture in, Draw draw) {
    float[] p = in.pixels().clone();
    if (draw.value(0) != 0 && in.channels() == 3) {
      int area = in.area();
      for (int i = 0; i < area; i++) {
        float grey = (float) luma(p, i, area, 3);
        p[i] = grey;
        p[area + i] = grey;
        p[2 * area + i] = grey;
      }
    }
    return new Picture(in.channels(), in.height(), in.width(), p);
  }

  /** The grey level of pixel {@code i} of channel-major {@code pixels}. */
  static double luma(float[] pixels, int i, int area, int channels) {
    if (channels == 1) {
      return pixels[i];
    }
    return 0.299 * pixels[i] + 0.587 * pixels[area + i] + 0.114 * pixels[2 * area + i];
  }
}
