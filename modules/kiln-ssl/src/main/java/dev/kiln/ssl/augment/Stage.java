package dev.kiln.ssl.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A named group of transforms that MAST treats as one augmentation type (one mask, one subspace): the
 * colour stage, say, is jitter, grayscale and solarisation. A disabled stage always draws the identity,
 * which is how a study leaves one augmentation out.
 *
 * @param name the augmentation type's name in reports
 * @param transforms applied in order
 * @param enabled whether the stage draws random parameters
 */
public record Stage(String name, List<Augmentation> transforms, boolean enabled) {

  public Stage {
    transforms = List.copyOf(transforms);
    if (transforms.isEmpty()) {
      throw new IllegalArgumentException("stage `" + name + "` has no transforms");
    }
  }

  public static Stage of(String name, Augmentation... transforms) {
    return new Stage(name, List.of(transforms), true);
  }

  /** The same stage, always drawing the identity. */
  public Stage disabled() {
    return new Stage(name, transforms, false);
  }

  /** One draw per transform. */
  public List<Augmentation.Draw> sample(RandomGenerator rng) {
    List<Augmentation.Draw> draws = new ArrayList<>(transforms.size());
    for (Augmentation a : transforms) {
      draws.add(enabled ? a.sample(rng) : a.identity());
    }
    return draws;
  }

  /** {@code in} with every transform applied with its draw. */
  public Picture apply(Picture in, List<Augmentation.Draw> draws) {
    Picture p = in;
    for (int i = 0; i < transforms.size(); i++) {
      Augmentation.Draw d = draws.get(i);
      if (!d.augmentation().equals(transforms.get(i))) {
        throw new IllegalArgumentException("stage `" + name + "`: draw " + d + " is not from " + transforms.get(i));
      }
      p = transforms.get(i).apply(p, d);
    }
    return p;
  }

  /** Sum of the transforms' differences between two draws of this stage. */
  public double difference(List<Augmentation.Draw> a, List<Augmentation.Draw> b) {
    double d = 0;
    for (int i = 0; i < transforms.size(); i++) {
      d += transforms.get(i).difference(a.get(i), b.get(i));
    }
    return d;
  }
}
