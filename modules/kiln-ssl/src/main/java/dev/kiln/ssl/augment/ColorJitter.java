package dev.kiln.ssl.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Colour jitter with torchvision's factors, applied with probability {@code probability} in a fixed order:
 * brightness {@code x·b}, contrast {@code mean + c·(x − mean)} about the mean grey level, saturation
 * {@code grey + s·(x − grey)}, hue rotated by {@code h} turns of the HSV circle; every result clipped to
 * [0, 1]. Factors b, c, s are uniform in [1 − strength, 1 + strength], h in [−hue, hue]. Saturation and
 * hue leave a grey picture unchanged. Records applied (0 or 1) and the four factors.
 *
 * @param brightness brightness strength, in [0, 1]
 * @param contrast contrast strength, in [0, 1]
 * @param saturation saturation strength, in [0, 1]
 * @param hue hue strength, in [0, 0.5]
 * @param probability chance the jitter is applied
 */
public record ColorJitter(double brightness, double contrast, double saturation, double hue, double probability)
    implements Augmentation {

  public ColorJitter {
    for (double s : new double[] {brightness, contrast, saturation, probability}) {
      if (!(s >= 0 && s <= 1)) {
        throw new IllegalArgumentException("colour jitter strengths and probability must be in [0, 1], got "
            + List.of(brightness, contrast, saturation, probability));
      }
    }
    if (!(hue >= 0 && hue <= 0.5)) {
      throw new IllegalArgumentException("colour jitter hue must be in [0, 0.5], got " + hue);
    }
  }

  @Override
  public String name() {
    return "color-jitter";
  }

  @Override
  public List<String> parameterNames() {
    return List.of("applied", "brightness", "contrast", "saturation", "hue");
  }

  @Override
  public Draw sample(RandomGenerator rng) {
    if (rng.nextDouble() >= probability) {
      return identity();
    }
    return new Draw(this, new double[] {1, Augmentation.uniform(rng, 1 - brightness, 1 + brightness),
        Augmentation.uniform(rng, 1 - contrast, 1 + contrast), Augmentation.uniform(rng, 1 - saturation,
        1 + saturation), Augmentation.uniform(rng, -hue, hue)});
  }

  @Override
  public Draw identity() {
    return new Draw(this, new double[] {0, 1, 1, 1, 0});
  }

  @Override
  public Picture apply(Picture in, Draw draw) {
    float[] p = in.pixels().clone();
    if (draw.value(0) == 0) {
      return new Picture(in.channels(), in.height(), in.width(), p);
    }
    int area = in.area();
    double b = draw.value(1);
    for (int i = 0; i < p.length; i++) {
      p[i] = clip(p[i] * b);
    }
    double mean = 0;
    for (int i = 0; i < area; i++) {
      mean += Grayscale.luma(p, i, area, in.channels());
    }
    mean /= area;
    double c = draw.value(2);
    for (int i = 0; i < p.length; i++) {
      p[i] = clip(mean + c * (p[i] - mean));
    }
    if (in.channels() == 3) {
      double s = draw.value(3);
      for (int i = 0; i < area; i++) {
        double grey = Grayscale.luma(p, i, area, 3);
        for (int ch = 0; ch < 3; ch++) {
          p[ch * area + i] = clip(grey + s * (p[ch * area + i] - grey));
        }
      }
      double h = draw.value(4);
      if (h != 0) {
        for (int i = 0; i < area; i++) {
          shiftHue(p, i, area, h);
        }
      }
    }
    return new Picture(in.channels(), in.height(), in.width(), p);
  }

  /** Rotates pixel i's hue by {@code turns} of the circle, keeping its HSV saturation and value. */
  private static void shiftHue(float[] p, int i, int area, double turns) {
    double r = p[i];
    double g = p[area + i];
    double b = p[2 * area + i];
    double max = Math.max(r, Math.max(g, b));
    double min = Math.min(r, Math.min(g, b));
    double delta = max - min;
    if (delta <= 0) {
      return;
    }
    double hue;
    if (max == r) {
      hue = ((g - b) / delta) / 6;
    } else if (max == g) {
      hue = ((b - r) / delta + 2) / 6;
    } else {
      hue = ((r - g) / delta + 4) / 6;
    }
    double[] rgb = Hues.rgb(hue + turns, delta / max, max);
    p[i] = (float) rgb[0];
    p[area + i] = (float) rgb[1];
    p[2 * area + i] = (float) rgb[2];
  }

  static float clip(double v) {
    return (float) Math.max(0, Math.min(1, v));
  }

  /** Sum of the factors' distances from each other (identity factors for a draw not applied). */
  @Override
  public double difference(Draw a, Draw b) {
    double d = 0;
    for (int i = 1; i < 5; i++) {
      d += Math.abs(a.value(i) - b.value(i));
    }
    return d;
  }
}
