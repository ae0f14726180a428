package dev.kiln.nerf.scenes;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws procedural scenes that fit inside [−0.8, 0.8]³, with z up. Objects of one category share
 * their structure and palette, so a prior over them has something to learn; their proportions and
 * colours vary.
 */
public final class SceneGenerator {

  private static final double[][] CAR_PAINT = {
      {0.85, 0.15, 0.15}, {0.15, 0.30, 0.85}, {0.95, 0.80, 0.10}, {0.15, 0.65, 0.25}, {0.95, 0.50, 0.10},
      {0.55, 0.20, 0.70}};
  private static final double[] WINDOWS = {0.55, 0.70, 0.85};
  private static final double[] TYRES = {0.12, 0.12, 0.12};
  private static final double[][] CHAIR_FINISH = {
      {0.55, 0.35, 0.20}, {0.72, 0.52, 0.30}, {0.22, 0.22, 0.22}, {0.70, 0.20, 0.20}, {0.25, 0.35, 0.70}};

  private SceneGenerator() {}

  /** One scene of {@code category} drawn from {@code rng}. */
  public static Scene generate(Category category, RandomGenerator rng) {
    return switch (category) {
      case SHAPES -> shapes(rng);
      case TOYCAR -> toycar(rng);
      case CHAIR -> chair(rng);
    };
  }

  static Scene shapes(RandomGenerator rng) {
    int n = 1 + rng.nextInt(3);
    List<Primitive> ps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double size = uniform(rng, 0.2, 0.4);
      double[] c = {uniform(rng, -0.8 + size, 0.8 - size), uniform(rng, -0.8 + size, 0.8 - size),
          uniform(rng, -0.8 + size, 0.8 - size)};
      double[] albedo = {uniform(rng, 0.1, 0.95), uniform(rng, 0.1, 0.95), uniform(rng, 0.1, 0.95)};
      switch (rng.nextInt(3)) {
        case 0 -> ps.add(new Primitive.Sphere(c, size, albedo));
        case 1 -> ps.add(new Primitive.Box(c, new double[] {size * uniform(rng, 0.6, 1), size * uniform(rng, 0.6, 1),
            size * uniform(rng, 0.6, 1)}, uniform(rng, 0, Math.PI / 2), albedo));
        default -> ps.add(new Primitive.Cylinder(c, size * uniform(rng, 0.5, 0.9), size, rng.nextInt(3), albedo));
      }
    }
    return new Scene(Category.SHAPES, ps);
  }

  static Scene toycar(RandomGenerator rng) {
    double lx = uniform(rng, 0.50, 0.70);
    double ly = uniform(rng, 0.26, 0.36);
    double lz = uniform(rng, 0.10, 0.16);
    double r = uniform(rng, 0.13, 0.19);
    double wheelHalf = uniform(rng, 0.05, 0.07);
    double wheelZ = -0.45;
    double bodyZ = wheelZ + 0.6 * lz + 0.02;
    double[] paint = CAR_PAINT[rng.nextInt(CAR_PAINT.length)];
    List<Primitive> ps = new ArrayList<>();
    ps.add(new Primitive.Box(new double[] {0, 0, bodyZ}, new double[] {lx, ly, lz}, 0, paint));
    double cabinX = uniform(rng, 0.40, 0.60) * lx;
    double cabinZ = uniform(rng, 0.09, 0.15);
    double shift = uniform(rng, -0.25, 0.10) * lx;
    ps.add(new Primitive.Box(new double[] {shift, 0, bodyZ + lz + cabinZ}, new double[] {cabinX, 0.85 * ly, cabinZ},
        0, WINDOWS));
    double axle = lx - r - 0.03;
    for (double sx : new double[] {-1, 1}) {
      for (double sy : new double[] {-1, 1}) {
        ps.add(new Primitive.Cylinder(new double[] {sx * axle, sy * ly, wheelZ}, r, wheelHalf, 1, TYRES));
      }
    }
    return new Scene(Category.TOYCAR, ps);
  }

  static Scene chair(RandomGenerator rng) {
    double sx = uniform(rng, 0.30, 0.42);
    double sy = uniform(rng, 0.30, 0.42);
    double seatHalf = uniform(rng, 0.04, 0.06);
    double seatTop = uniform(rng, -0.12, 0.08);
    double floor = -0.75;
    double leg = uniform(rng, 0.05, 0.07);
    double backHeight = uniform(rng, 0.45, 0.68);
    double backHalf = uniform(rng, 0.04, 0.06);
    double[] finish = CHAIR_FINISH[rng.nextInt(CHAIR_FINISH.length)];
    double[] legs = rng.nextBoolean() ? finish : scale(finish, 0.7);
    List<Primitive> ps = new ArrayList<>();
    double seatZ = seatTop - seatHalf;
    ps.add(new Primitive.Box(new double[] {0, 0, seatZ}, new double[] {sx, sy, seatHalf}, 0, finish));
    double legTop = seatZ - seatHalf;
    double legHalfH = (legTop - floor) / 2;
    for (double px : new double[] {-1, 1}) {
      for (double py : new double[] {-1, 1}) {
        ps.add(new Primitive.Box(new double[] {px * (sx - leg), py * (sy - leg), floor + legHalfH},
            new double[] {leg, leg, legHalfH}, 0, legs));
      }
    }
    double backZ = seatTop + backHeight / 2;
    ps.add(new Primitive.Box(new double[] {-sx + backHalf, 0, backZ}, new double[] {backHalf, sy, backHeight / 2}, 0,
        finish));
    return new Scene(Category.CHAIR, ps);
  }

  private static double uniform(RandomGenerator rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  private static double[] scale(double[] c, double f) {
    return new double[] {c[0] * f, c[1] * f, c[2] * f};
  }
}
