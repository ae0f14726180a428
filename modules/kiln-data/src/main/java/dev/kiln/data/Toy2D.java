package dev.kiln.data;

import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Two-dimensional toy distributions for density models, after the toy data of FFJORD (Grathwohl et
 * al., arXiv:1810.01367, {@code lib/toy_data.py}). Each draws from the given generator only, so a
 * (seed, step) pair always yields the same points. Scales are chosen so every distribution spans a
 * few units around the origin; the exact transform is stated on each constant.
 */
public enum Toy2D {

  /**
   * Eight isotropic Gaussians, std 0.1, centred at {@code 2 (cos kπ/4, sin kπ/4)} for k = 0..7,
   * chosen with equal probability. Tighter than FFJORD's (radius 2.83, std 0.35) so the modes are
   * clearly separated (adjacent centres are 1.53 apart).
   */
  EIGHT_GAUSSIANS("8gaussians") {
    @Override
    void draw(RandomGenerator rng, float[] xy, int at) {
      double angle = rng.nextInt(8) * Math.PI / 4;
      xy[at] = (float) (2 * Math.cos(angle) + 0.1 * rng.nextGaussian());
      xy[at + 1] = (float) (2 * Math.sin(angle) + 0.1 * rng.nextGaussian());
    }
  },

  /**
   * scikit-learn's two moons with Gaussian noise 0.05: the upper half circle {@code (cos t, sin t)}
   * and the lower one {@code (1 - cos t, 0.5 - sin t)}, t uniform in [0, π], each with probability
   * 1/2; then, as in FFJORD, {@code 2·p + (-1, -0.2)}. The result spans x ∈ [-3, 3], y ∈ [-1.2, 1.8]
   * (mean ≈ (0, 0.3), std ≈ (1.7, 1.0)); the upper arc is centred at (-1, -0.2), the lower at
   * (1, 0.8), both of radius 2.
   */
  TWO_MOONS("moons") {
    @Override
    void draw(RandomGenerator rng, float[] xy, int at) {
      double t = Math.PI * rng.nextDouble();
      boolean upper = rng.nextDouble() < 0.5;
      double x = upper ? Math.cos(t) : 1 - Math.cos(t);
      double y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
      xy[at] = (float) (2 * (x + 0.05 * rng.nextGaussian()) - 1);
      xy[at + 1] = (float) (2 * (y + 0.05 * rng.nextGaussian()) - 0.2);
    }
  },

  /**
   * The swiss roll of FFJORD (scikit-learn's 3-D roll seen along its axis): {@code t = 1.5π(1 + 2u)},
   * u uniform in [0, 1), point {@code (t cos t, t sin t) / 5} plus Gaussian noise of std 0.1 per
   * coordinate (FFJORD adds 0.2, which blurs the arms together). Points lie at radius t/5 ∈ [0.94,
   * 2.83]; successive arms are 2π/5 ≈ 1.26 apart.
   */
  SWISS_ROLL("swissroll") {
    @Override
    void draw(RandomGenerator rng, float[] xy, int at) {
      double t = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
      xy[at] = (float) (t * Math.cos(t) / 5 + 0.1 * rng.nextGaussian());
      xy[at + 1] = (float) (t * Math.sin(t) / 5 + 0.1 * rng.nextGaussian());
    }
  },

  /**
   * FFJORD's checkerboard: uniform on the eight "black" squares of a 4×4 board of 2×2 squares
   * covering [-4, 4]², the squares whose {@code floor(x/2) + floor(y/2)} is even.
   */
  CHECKERBOARD("checkerboard") {
    @Override
    void draw(RandomGenerator rng, float[] xy, int at) {
      double x = 4 * rng.nextDouble() - 2;
      double row = rng.nextDouble() - 2 * rng.nextInt(2);
      double y = row + Math.floorMod((long) Math.floor(x), 2L);
      xy[at] = (float) (2 * x);
      xy[at + 1] = (float) (2 * y);
    }
  };

  private final String id;

  Toy2D(String id) {
    this.id = id;
  }

  /** Writes one point at {@code xy[at]}, {@code xy[at + 1]}. */
  abstract void draw(RandomGenerator rng, float[] xy, int at);

  /** The stable name used in configs and file names: "8gaussians", "moons", "swissroll", "checkerboard". */
  public String id() {
    return id;
  }

  /** {@code n} points, row-major {@code [n, 2]}, drawn from {@code rng} alone. */
  public float[] sample(int n, RandomGenerator rng) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot sample " + n + " points");
    }
    float[] xy = new float[2 * n];
    for (int i = 0; i < n; i++) {
      draw(rng, xy, 2 * i);
    }
    return xy;
  }

  /** A FLOAT tensor {@code [n, 2]} from the stream {@code Seeds.rng(seed, "toy2d", step)}. */
  public Tensor sample(int n, long seed, long step) {
    return Tensor.of(sample(n, Seeds.rng(seed, "toy2d", step)), n, 2);
  }

  /**
   * The distribution named {@code name}, ignoring case, '_', '-' and spaces: its {@link #id()}, its
   * constant name, or "eight_gaussians" / "two_moons" / "swiss_roll" spelled any of those ways.
   */
  public static Toy2D parse(String name) {
    String key = name.toLowerCase(Locale.ROOT).replaceAll("[_\\-\\s]", "");
    for (Toy2D t : values()) {
      if (key.equals(t.id) || key.equals(t.name().toLowerCase(Locale.ROOT).replace("_", ""))) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown toy distribution '" + name + "'; valid names: "
        + Arrays.stream(values()).map(Toy2D::id).collect(Collectors.joining(", "))
        + " (or eight_gaussians, two_moons, swiss_roll)");
  }
}
