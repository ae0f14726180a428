package dev.kiln.diffusion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureMomentsTest {

  private static double[][] rows(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] r = new double[n][d];
    for (double[] row : r) {
      for (int j = 0; j < d; j++) {
        row[j] = 5 + rng.nextGaussian() * (j + 1); // an offset mean, unequal variances
      }
    }
    return r;
  }

  @Test
  void mergedPartsGiveTheGaussianOfTheWhole() {
    double[][] all = rows(1000, 4, 1);
    FeatureMoments merged = FeatureMoments.empty(4)
        .plus(FeatureMoments.of(Arrays.copyOfRange(all, 0, 137)))
        .plus(FeatureMoments.of(Arrays.copyOfRange(all, 137, 600)))
        .plus(FeatureMoments.of(Arrays.copyOfRange(all, 600, 1000)));
    Gaussian whole = Gaussian.fit(all);
    Gaussian parts = merged.gaussian();
    assertThat(merged.count()).isEqualTo(1000);
    for (int i = 0; i < 4; i++) {
      assertThat(parts.mean()[i]).isCloseTo(whole.mean()[i], within(1e-12 * Math.abs(whole.mean()[i])));
      for (int j = 0; j < 4; j++) {
        assertThat(parts.covariance()[i][j]).isCloseTo(whole.covariance()[i][j], within(1e-11));
      }
    }
  }

  @Test
  void theFrechetDistanceOfMergedMomentsIsTheOneOfTheRows() {
    double[][] x = rows(500, 3, 2);
    double[][] y = rows(400, 3, 3);
    FeatureMoments parts = FeatureMoments.of(Arrays.copyOfRange(x, 0, 250))
        .plus(FeatureMoments.of(Arrays.copyOfRange(x, 250, 500)));
    double direct = FrechetDistance.between(x, y);
    assertThat(direct).isPositive();
    assertThat(FrechetDistance.between(parts.gaussian(), Gaussian.fit(y))).isCloseTo(direct, within(1e-9 * direct));
  }

  @Test
  void emptyMomentsAreTheIdentityOfPlus() {
    FeatureMoments m = FeatureMoments.of(rows(10, 2, 4));
    assertThat(FeatureMoments.empty(2).plus(m)).isSameAs(m);
    assertThat(m.plus(FeatureMoments.empty(2))).isSameAs(m);
  }

  @Test
  void momentsOfOtherDimensionsDoNotMerge() {
    assertThatThrownBy(() -> FeatureMoments.of(rows(5, 2, 5)).plus(FeatureMoments.of(rows(5, 3, 6))))
        .hasMessageContaining("dimension 2 and 3");
  }

  @Test
  void aCovarianceNeedsTwoRows() {
    assertThatThrownBy(() -> FeatureMoments.of(rows(1, 2, 7)).gaussian()).hasMessageContaining("at least 2 rows");
  }
}
