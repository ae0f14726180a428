package dev.kiln.ssl.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A whole-pixel shift by up to {@code maxShift} pixels along each axis, uncovered pixels zero. Records the
 * shift (dx right, dy down).
 *
 * @param maxShift largest shift per axis, ≥ 1
 */
public record Translate(int maxShift) implements Augmentation {

  public Translate {
    if (maxShift < 1) {
      throw new IllegalArgumentException("translate needs max_shift ≥ 1, got " + maxShift);
    }
  }

  @Override
  public String name() {
    return "translate";
  }

  @Override
  public List<String> parameterNames() {
    return List.of("dx", "dy");
  }

  @Override
  public Draw sample(RandomGenerator rng) {
    return new Draw(this, new double[] {rng.nextInt(-maxShift, maxShift + 1), rng.nextInt(-maxShift, maxShift + 1)});
  }

  @Override
  public Draw identity() {
    return new Draw(this, new double[] {0, 0});
  }

  @Override
  public Picture apply(Picture in, Draw draw) {
    int dx = (int) draw.value(0);
    int dy = (int) draw.value(1);
    Picture out = in.blank();
    float[] o = out.pixels();
    for (int c = 0; c < in.channels(); c++) {
      for (int y = 0; y < in.height(); y++) {
        int sy = y - dy;
        if (sy < 0 || sy >= in.height()) {
          continue;
        }
        for (int x = 0; x < in.width(); x++) {
          int sx = x - dx;
          if (sx >= 0 && sx < in.width()) {
            o[out.index(c, y, x)] = in.at(c, sy, sx);
          }
        }
      }
    }
    return out;
  }

  /** The shift between the views, |Δdx| + |Δdy|, over its largest possible value 4·max_shift. */
  @Override
  public double difference(Draw a, Draw b) {
    return (Math.abs(a.value(0) - b.value(0)) + Math.abs(a.value(1) - b.value(1))) / (4.0 * maxShift);
  }
}
