package dev.kiln.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Toy2DTest {

  private static final int N = 20_000;
  private static final long SEED = 7;

  private static float[] sample(Toy2D toy) {
    return toy.sample(N, Seeds.rng(SEED, "toy2d", 0));
  }

  @ParameterizedTest
  @EnumSource(Toy2D.class)
  void sameSeedAndStepGiveTheSamePointsAndOtherStepsOthers(Toy2D toy) {
    Tensor a = toy.sample(256, SEED, 3);
    assertThat(a.dtype()).isEqualTo(DType.FLOAT);
    assertThat(a.shape()).containsExactly(256, 2);
    assertThat(a.contentEquals(toy.sample(256, SEED, 3))).isTrue();
    assertThat(a.contentEquals(toy.sample(256, SEED, 4))).isFalse();
    assertThat(a.contentEquals(toy.sample(256, SEED + 1, 3))).isFalse();
  }

  @Test
  void eightGaussiansStayNearTheirCentresAndFillEveryModeEqually() {
    float[] xy = sample(Toy2D.EIGHT_GAUSSIANS);
    int[] perMode = new int[8];
    double squaredSpread = 0;
    for (int i = 0; i < N; i++) {
      double x = xy[2 * i];
      double y = xy[2 * i + 1];
      int mode = (int) Math.floorMod(Math.round(Math.atan2(y, x) / (Math.PI / 4)), 8L);
      double dx = x - 2 * Math.cos(mode * Math.PI / 4);
      double dy = y - 2 * Math.sin(mode * Math.PI / 4);
      assertThat(Math.hypot(dx, dy)).as("distance of point %d to its centre", i).isLessThan(0.7);
      squaredSpread += dx * dx + dy * dy;
      perMode[mode]++;
    }
    // Two coordinates of std 0.1 each.
    assertThat(squaredSpread / N).isCloseTo(0.02, Offset.offset(0.002));
    for (int count : perMode) {
      assertThat(count).isBetween(N / 8 - 300, N / 8 + 300);
    }
  }

  @Test
  void moonsLieOnTwoHalfArcsOfRadiusTwo() {
    float[] xy = sample(Toy2D.TWO_MOONS);
    int upper = 0;
    double sumX = 0;
    double sumY = 0;
    for (int i = 0; i < N; i++) {
      double x = xy[2 * i];
      double y = xy[2 * i + 1];
      assertThat(x).isBetween(-3.6, 3.6);
      assertThat(y).isBetween(-1.8, 2.4);
      double offUpper = distanceToHalfArc(x, y, -1, -0.2, 1);
      double offLower = distanceToHalfArc(x, y, 1, 0.8, -1);
      boolean onUpper = offUpper < offLower;
      assertThat(Math.min(offUpper, offLower)).as("distance of point %d to the nearer arc", i).isLessThan(0.6);
      upper += onUpper ? 1 : 0;
      sumX += x;
      sumY += y;
    }
    assertThat(upper).isBetween(N / 2 - 400, N / 2 + 400);
    assertThat(sumX / N).isBetween(-0.05, 0.05);
    assertThat(sumY / N).isBetween(0.25, 0.35);
  }

  /** Distance to the half circle of radius 2 about (cx, cy) that bulges up (side 1) or down (side -1). */
  private static double distanceToHalfArc(double x, double y, double cx, double cy, int side) {
    if ((y - cy) * side >= 0) {
      return Math.abs(Math.hypot(x - cx, y - cy) - 2);
    }
    return Math.min(Math.hypot(x - cx - 2, y - cy), Math.hypot(x - cx + 2, y - cy));
  }

  @Test
  void swissRollFollowsItsSpiralWithSmallNoise() {
    float[] xy = sample(Toy2D.SWISS_ROLL);
    double squaredOff = 0;
    int inner = 0;
    for (int i = 0; i < N; i++) {
      double x = xy[2 * i];
      double y = xy[2 * i + 1];
      assertThat(Math.hypot(x, y)).isBetween(0.94 - 0.6, 2.83 + 0.6);
      double off = distanceToSpiral(x, y);
      assertThat(off).as("distance of point %d to the spiral", i).isLessThan(0.6);
      squaredOff += off * off;
      inner += Math.hypot(x, y) < 1.885 ? 1 : 0;
    }
    // Only the noise across the arm counts: one coordinate of std 0.1. Points spread evenly in the
    // annulus instead would sit about 0.36 from the spiral.
    assertThat(squaredOff / N).isLessThan(0.015);
    // t is uniform, so half the points have t below the midpoint 3π (radius 1.885).
    assertThat(inner).isBetween(N / 2 - 400, N / 2 + 400);
  }

  private static final double[] SPIRAL = spiral(6000);

  /** Points {@code (t cos t, t sin t) / 5} on a fine grid of t in [1.5π, 4.5π], interleaved x, y. */
  private static double[] spiral(int steps) {
    double[] xy = new double[2 * (steps + 1)];
    for (int k = 0; k <= steps; k++) {
      double t = 1.5 * Math.PI * (1 + 2.0 * k / steps);
      xy[2 * k] = t * Math.cos(t) / 5;
      xy[2 * k + 1] = t * Math.sin(t) / 5;
    }
    return xy;
  }

  private static double distanceToSpiral(double x, double y) {
    double best = Double.MAX_VALUE;
    for (int k = 0; k < SPIRAL.length; k += 2) {
      double dx = x - SPIRAL[k];
      double dy = y - SPIRAL[k + 1];
      best = Math.min(best, dx * dx + dy * dy);
    }
    return Math.sqrt(best);
  }

  @Test
  void checkerboardFillsOnlyTheBlackSquaresAndEachEqually() {
    float[] xy = sample(Toy2D.CHECKERBOARD);
    int[][] perSquare = new int[4][4];
    for (int i = 0; i < N; i++) {
      double x = xy[2 * i];
      double y = xy[2 * i + 1];
      assertThat(x).isBetween(-4.0, 4.0);
      assertThat(y).isBetween(-4.0, 4.0);
      int col = (int) Math.floor(x / 2);
      int row = (int) Math.floor(y / 2);
      assertThat(Math.floorMod(col + row, 2)).as("square (%d, %d) of point %d", col, row, i).isZero();
      perSquare[col + 2][row + 2]++;
    }
    for (int c = 0; c < 4; c++) {
      for (int r = 0; r < 4; r++) {
        int expected = (c + r) % 2 == 0 ? N / 8 : 0;
        assertThat(perSquare[c][r]).as("points in square (%d, %d)", c - 2, r - 2)
            .isBetween(expected - 300, expected + 300);
      }
    }
  }

  @Test
  void parseAcceptsIdsConstantNamesAndUnderscoredAliasesInAnyCase() {
    assertThat(Toy2D.parse("8gaussians")).isEqualTo(Toy2D.EIGHT_GAUSSIANS);
    assertThat(Toy2D.parse("Eight_Gaussians")).isEqualTo(Toy2D.EIGHT_GAUSSIANS);
    assertThat(Toy2D.parse("moons")).isEqualTo(Toy2D.TWO_MOONS);
    assertThat(Toy2D.parse("TWO_MOONS")).isEqualTo(Toy2D.TWO_MOONS);
    assertThat(Toy2D.parse("two-moons")).isEqualTo(Toy2D.TWO_MOONS);
    assertThat(Toy2D.parse("swiss_roll")).isEqualTo(Toy2D.SWISS_ROLL);
    assertThat(Toy2D.parse("SwissRoll")).isEqualTo(Toy2D.SWISS_ROLL);
    assertThat(Toy2D.parse("checkerboard")).isEqualTo(Toy2D.CHECKERBOARD);
    for (Toy2D t : Toy2D.values()) {
      assertThat(Toy2D.parse(t.id())).isEqualTo(t);
      assertThat(Toy2D.parse(t.name())).isEqualTo(t);
    }
  }

  @Test
  void idsAreStable() {
    assertThat(Toy2D.EIGHT_GAUSSIANS.id()).isEqualTo("8gaussians");
    assertThat(Toy2D.TWO_MOONS.id()).isEqualTo("moons");
    assertThat(Toy2D.SWISS_ROLL.id()).isEqualTo("swissroll");
    assertThat(Toy2D.CHECKERBOARD.id()).isEqualTo("checkerboard");
  }

  @Test
  void parseRejectsUnknownNamesListingTheValidOnes() {
    assertThatThrownBy(() -> Toy2D.parse("spirals"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spirals")
        .hasMessageContaining("8gaussians, moons, swissroll, checkerboard");
  }
}
