package dev.kiln.ssl.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random resized crop (torchvision's {@code RandomResizedCrop}): a box of {@code scale} of the image area
 * and aspect ratio in [3/4, 4/3] (log-uniform), placed uniformly, resampled bilinearly to the full size.
 * Records the box as fractions of the image: left, top, width, height.
 *
 * @param minScale smallest area fraction, in (0, 1]
 * @param maxScale largest area fraction, in [minScale, 1]
 */
public record ResizedCrop(double minScale, double maxScale) implements Augmentation {

  private static final double LOG_RATIO = Math.log(4.0 / 3.0);

  public ResizedCrop {
    if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
      throw new IllegalArgumentException("crop scales must satisfy 0 < min ≤ max ≤ 1, got [" + minScale + ", "
          + maxScale + "]");
    }
  }

  @Override
  public String name() {
    return "crop";
  }

  @Override
  public List<String> parameterNames() {
    return List.of("left", "top", "width", "height");
  }

  @Override
  public Draw sample(RandomGenerator rng) {
    double area = Augmentation.uniform(rng, minScale, maxScale);
    double ratio = Math.exp(Augmentation.uniform(rng, -LOG_RATIO, LOG_RATIO));
    double w = Math.min(1, Math.sqrt(area * ratio));
    double h = Math.min(1, Math.sqrt(area / ratio));
    double left = (1 - w) * rng.nextDouble();
    double top = (1 - h) * rng.nextDouble();
    return new Draw(this, new double[] {left, top, w, h});
  }

  @Override
  public Draw identity() {
    return new Draw(this, new double[] {0, 0, 1, 1});
  }

  @Override
  public Picture apply(Picture in, Draw draw) {
    double left = draw.value(0) * in.width();
    double top = draw.value(1) * in.height();
    double sx = draw.value(2);
    double sy = draw.value(3);
    Picture out = in.blank();
    float[] o = out.pixels();
    for (int y = 0; y < in.height(); y++) {
      double fy = top + (y + 0.5) * sy - 0.5;
      for (int x = 0; x < in.width(); x++) {
        double fx = left + (x + 0.5) * sx - 0.5;
        for (int c = 0; c < in.channels(); c++) {
          o[out.index(c, y, x)] = bilinear(in, c, fy, fx);
        }
      }
    }
    return out;
  }

  /** Bilinear sample at fractional (fy, fx), edges clamped. */
  static float bilinear(Picture in, int c, double fy, double fx) {
    double cy = Math.max(0, Math.min(in.height() - 1, fy));
    double cx = Math.max(0, Math.min(in.width() - 1, fx));
    int y0 = (int) Math.floor(cy);
    int x0 = (int) Math.floor(cx);
    int y1 = Math.min(in.height() - 1, y0 + 1);
    int x1 = Math.min(in.width() - 1, x0 + 1);
    double ty = cy - y0;
    double tx = cx - x0;
    double top = in.at(c, y0, x0) * (1 - tx) + in.at(c, y0, x1) * tx;
    double bottom = in.at(c, y1, x0) * (1 - tx) + in.at(c, y1, x1) * tx;
    return (float) (top * (1 - ty) + bottom * ty);
  }

  /** 1 − intersection over union of the two boxes. */
  @Override
  public double difference(Draw a, Draw b) {
    if (a.equals(b)) {
      return 0;
    }
    double ix = Math.max(0, Math.min(a.value(0) + a.value(2), b.value(0) + b.value(2))
        - Math.max(a.value(0), b.value(0)));
    double iy = Math.max(0, Math.min(a.value(1) + a.value(3), b.value(1) + b.value(3))
        - Math.max(a.value(1), b.value(1)));
    double inter = ix * iy;
    double union = a.value(2) * a.value(3) + b.value(2) * b.value(3) - inter;
    return 1 - inter / union;
  }
}
