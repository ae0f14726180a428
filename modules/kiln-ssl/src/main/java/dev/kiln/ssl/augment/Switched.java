package dev.kiln.ssl.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A transform that is either applied or not, with probability {@link #probability()}: its one recorded
 * value is {@code applied} (0 or 1).
 */
public sealed interface Switched extends Augmentation permits Grayscale, Solarize {

  /** Chance the transform is applied. */
  double probability();

  @Override
  default List<String> parameterNames() {
    return List.of("applied");
  }

  @Override
  default Draw sample(RandomGenerator rng) {
    return new Draw(this, new double[] {rng.nextDouble() < probability() ? 1 : 0});
  }

  @Override
  default Draw identity() {
    return new Draw(this, new double[] {0});
  }

  /** 1 when one view has the transform and the other not, else 0. */
  @Override
  default double difference(Draw a, Draw b) {
    return Math.abs(a.value(0) - b.value(0));
  }
}
