package dev.kiln.ssl.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One image transform with random parameters. {@link #sample} draws the parameters and {@link #apply}
 * uses them, so a view records exactly what was done to it and the same draw can be replayed on
 * another image (or on the same image, to build a pair that differs in one augmentation only).
 */
public sealed interface Augmentation
    permits ResizedCrop, Translate, FlipRotate, ColorJitter, GaussianBlur, Switched {

  /** Stable name, used in reports and as the key of the recorded parameters. */
  String name();

  /** Names of the recorded parameter values, in order. */
  List<String> parameterNames();

  /** Draws parameters; the draw with {@link #identity()} values leaves the image unchanged. */
  Draw sample(RandomGenerator rng);

  /** The draw that does nothing. */
  Draw identity();

  /** The picture transformed with {@code draw}'s parameters. */
  Picture apply(Picture in, Draw draw);

  /**
   * How different two draws make a pair of views, in [0, 1] for geometric transforms (1 − overlap for a
   * crop) and in the parameters' own units otherwise; 0 for equal draws.
   */
  double difference(Draw a, Draw b);

  /**
   * The parameters of one application.
   *
   * @param augmentation the transform that drew them
   * @param values one value per {@link Augmentation#parameterNames()} entry
   */
  record Draw(Augmentation augmentation, double[] values) {

    public Draw {
      values = values.clone();
      if (values.length != augmentation.parameterNames().size()) {
        throw new IllegalArgumentException(augmentation.name() + " records " + augmentation.parameterNames()
            + " but got " + values.length + " values");
      }
    }

    public double value(int i) {
      return values[i];
    }

    @Override
    public double[] values() {
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Draw d && d.augmentation.equals(augmentation) && java.util.Arrays.equals(d.values, values);
    }

    @Override
    public int hashCode() {
      return 31 * augmentation.hashCode() + java.util.Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return augmentation.name() + java.util.Arrays.toString(values);
    }
  }

  /** Uniform in [lo, hi). */
  static double uniform(RandomGenerator rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
