package dev.kiln.ssl.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Gaussian blur with probability {@code probability} and σ uniform in [minSigma, maxSigma] pixels: a
 * separable kernel of radius ⌈3σ⌉, edges clamped. Records σ (0: not applied).
 *
 * @param minSigma smallest σ, &gt; 0
 * @param maxSigma largest σ, ≥ minSigma
 * @param probability chance the blur is applied
 */
public record GaussianBlur(double minSigma, double maxSigma, double probability) implements Augmentation {

  public GaussianBlur {
    if (!(minSigma > 0 && minSigma <= maxSigma) || !(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("blur needs 0 < min_sigma ≤ max_sigma and probability in [0, 1], got "
          + minSigma + ", " + maxSigma + ", " + probability);
    }
  }

  @Override
  public String name() {
    return "blur";
  }

  @Override
  public List<String> parameterNames() {
    return List.of("sigma");
  }

  @Override
  public Draw sample(RandomGenerator rng) {
    return rng.nextDouble() < probability ? new Draw(this, new double[] {Augmentation.uniform(rng, minSigma, maxSigma)})
        : identity();
  }

  @Override
  public Draw identity() {
    return new Draw(this, new double[] {0});
  }

  @Override
  public Picture apply(Picture in, Draw draw) {
    double sigma = draw.value(0);
    if (sigma <= 0) {
      return new Picture(in.channels(), in.height(), in.width(), in.pixels().clone());
    }
    int radius = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
      sum += k[i + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    int h = in.height();
    int w = in.width();
    float[] rows = new float[in.pixels().length];
    float[] src = in.pixels();
    for (int c = 0; c < in.channels(); c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double acc = 0;
          for (int i = -radius; i <= radius; i++) {
            int sx = Math.max(0, Math.min(w - 1, x + i));
            acc += k[i + radius] * src[(c * h + y) * w + sx];
          }
          rows[(c * h + y) * w + x] = (float) acc;
        }
      }
    }
    float[] out = new float[rows.length];
    for (int c = 0; c < in.channels(); c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double acc = 0;
          for (int i = -radius; i <= radius; i++) {
            int sy = Math.max(0, Math.min(h - 1, y + i));
            acc += k[i + radius] * rows[(c * h + sy) * w + x];
          }
          out[(c * h + y) * w + x] = (float) acc;
        }
      }
    }
    return new Picture(in.channels(), h, w, out);
  }

  /** |Δσ| over the largest σ. */
  @Override
  public double difference(Draw a, Draw b) {
    return Math.abs(a.value(0) - b.value(0)) / maxSigma;
  }
}
