package dev.kiln.ssl.augment;

/**
 * Solarisation with probability {@code probability}: every value at or above {@code threshold} becomes
 * {@code 1 − x}. Records applied (0 or 1).
 *
 * @param threshold in [0, 1]
 * @param probability chance of solarising
 */
public record Solarize(double threshold, double probability) implements Switched {

  public Solarize {
    if (!(threshold >= 0 && threshold <= 1) || !(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("solarize needs threshold and probability in [0, 1], got " + threshold
          + ", " + probability);
    }
  }

  @Override
  public String name() {
    return "solarize";
  }

  @Override
  public Picture apply(Picture in, Draw draw) {
    float[] p = in.pixels().clone();
    if (draw.value(0) != 0) {
      for (int i = 0; i < p.length; i++) {
        if (p[i] >= threshold) {
          p[i] = 1 - p[i];
        }
      }
    }
    return new Picture(in.channels(), in.height(), in.width(), p);
  }
}
