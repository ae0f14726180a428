package dev.kiln.diffusion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrecisionRecallTest {

  /** {@code perMode} points around each of the first {@code modes} of 8 centres on a circle of radius 4. */
  private static double[][] mixture(int modes, int perMode, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] rows = new double[modes * perMode][];
    for (int m = 0; m < modes; m++) {
      double angle = 2 * Math.PI * m / 8;
      for (int i = 0; i < perMode; i++) {
        rows[m * perMode + i] = new double[] {
            4 * Math.cos(angle) + 0.2 * rng.nextGaussian(), 4 * Math.sin(angle) + 0.2 * rng.nextGaussian()};
      }
    }
    return rows;
  }

  @Test
  void generatorCoveringHalfTheModesHasFullPrecisionAndHalfRecall() {
    double[][] real = mixture(8, 250, 1);
    double[][] generated = mixture(4, 250, 2);
    PrecisionRecall pr = PrecisionRecall.of(real, generated);
    assertThat(pr.precision()).isGreaterThan(0.95);
    assertThat(pr.recall()).isBetween(0.42, 0.5);
  }

  @Test
  void generatorMatchingTheDataHasHighPrecisionAndRecall() {
    PrecisionRecall pr = PrecisionRecall.of(mixture(8, 250, 3), mixture(8, 250, 4));
    assertThat(pr.precision()).isGreaterThan(0.9);
    assertThat(pr.recall()).isGreaterThan(0.9);
  }

  @Test
  void generatorOffTheDataHasZeroPrecisionAndRecall() {
    double[][] far = Samples.shifted(mixture(8, 100, 5), new double[] {100, 0});
    PrecisionRecall pr = PrecisionRecall.of(mixture(8, 100, 6), far);
    assertThat(pr.precision()).isZero();
    assertThat(pr.recall()).isZero();
  }

  @Test
  void radiusIsTheKthNearestOtherPoint() {
    double[][] line = {{0}, {1}, {3}, {6}};
    assertThat(KnnManifold.of(line, 1).squaredRadii()).containsExactly(1, 1, 4, 9);
    assertThat(KnnManifold.of(line, 2).squaredRadii()).containsExactly(9, 4, 9, 25);
    assertThat(KnnManifold.of(line, 3).squaredRadii()).containsExactly(36, 25, 9, 36);
  }

  /** Real {0, 1, 3, 6} with k = 1 has balls of radius 1, 1, 2, 3; −1 and 9 lie on boundaries, 10 and 12 outside. */
  @Test
  void pointsOnABallBoundaryCountAsInside() {
    double[][] real = {{0}, {1}, {3}, {6}};
    double[][] generated = {{-1}, {9}, {10}, {12}};
    assertThat(PrecisionRecall.of(real, generated, 1).precision()).isEqualTo(0.5);
  }

  @Test
  void tooFewPointsForKAreRejected() {
    assertThatThrownBy(() -> PrecisionRecall.of(new double[3][2], new double[5][2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("real needs at least 4 rows");
  }
}
