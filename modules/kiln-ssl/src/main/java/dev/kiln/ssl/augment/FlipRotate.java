package dev.kiln.ssl.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A horizontal flip with probability {@code flipProbability}, then (if {@code rotate}) a counter-clockwise
 * turn by a uniformly drawn multiple of 90° (square pictures only). Records flip (0 or 1) and quarter turns
 * (0..3).
 *
 * @param flipProbability chance of the horizontal flip
 * @param rotate whether to draw quarter turns
 */
public record FlipRotate(double flipProbability, boolean rotate) implements Augmentation {

  public FlipRotate {
    if (!(flipProbability >= 0 && flipProbability <= 1)) {
      throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
    }
  }

  @Override
  public String name() {
    return "flip-rotate";
  }

  @Override
  public List<String> parameterNames() {
    return List.of("flip", "quarter_turns");
  }

  @Override
  public Draw sample(RandomGenerator rng) {
    double flip = rng.nextDouble() < flipProbability ? 1 : 0;
    return new Draw(this, new double[] {flip, rotate ? rng.nextInt(4) : 0});
  }

  @Override
  public Draw identity() {
    return new Draw(this, new double[] {0, 0});
  }

  @Override
  public Picture apply(Picture in, Draw draw) {
    boolean flip = draw.value(0) != 0;
    int turns = (int) draw.value(1);
    if (turns != 0 && in.height() != in.width()) {
      throw new IllegalArgumentException("quarter turns need a square picture, got " + in.height() + "×" + in.width());
    }
    int n = in.width();
    Picture out = in.blank();
    float[] o = out.pixels();
    for (int c = 0; c < in.channels(); c++) {
      for (int y = 0; y < in.height(); y++) {
        for (int x = 0; x < in.width(); x++) {
          // The output pixel (y, x) reads the source after undoing the turns, then the flip.
          int sy = y;
          int sx = x;
          for (int t = 0; t < turns; t++) {
            int ny = sx;
            int nx = n - 1 - sy;
            sy = ny;
            sx = nx;
          }
          if (flip) {
            sx = in.width() - 1 - sx;
          }
          o[out.index(c, y, x)] = in.at(c, sy, sx);
        }
      }
    }
    return out;
  }

  /** Half a point for a different flip, half for different turns. */
  @Override
  public double difference(Draw a, Draw b) {
    return 0.5 * (a.value(0) != b.value(0) ? 1 : 0) + 0.5 * (a.value(1) != b.value(1) ? 1 : 0);
  }
}
