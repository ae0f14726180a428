package dev.kiln.diffusion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MmdTest {

  /**
   * x = {0, 1}, y = {0, 2}, one bandwidth σ = 1, k(r) = exp(−r²/2): the U-statistic is
   * k(1) + k(2) − 2·(k(0) + k(2) + 2k(1))/4 = (k(2) − 1)/2.
   */
  @Test
  void explicitBandwidthFollowsTheUnbiasedFormula() {
    double[][] x = {{0}, {1}};
    double[][] y = {{0}, {2}};
    double k2 = Math.exp(-2);
    assertThat(Mmd.squared(x, y, new double[] {1})).isCloseTo((k2 - 1) / 2, within(1e-15));
  }

  @Test
  void kernelIsSummedOverBandwidths() {
    double[][] x = {{0}, {1}, {3}};
    double[][] y = {{0.5}, {2}};
    double sum = Mmd.squared(x, y, new double[] {0.7}) + Mmd.squared(x, y, new double[] {2.1});
    assertThat(Mmd.squared(x, y, new double[] {0.7, 2.1})).isCloseTo(sum, within(1e-14));
  }

  /** For X = Y the estimator is (2/n)(mean off-diagonal kernel − k(0)), within 6/n of zero for three bandwidths. */
  @Test
  void identicalSetsGiveNearlyZero() {
    double[][] x = Samples.gaussian(400, new double[2], 1, 1);
    double mmd = Mmd.squared(x, x, 1);
    assertThat(mmd).isLessThanOrEqualTo(0).isGreaterThanOrEqualTo(-6.0 / 400);
  }

  @Test
  void independentSamplesOfOneDistributionGiveNearlyZero() {
    double[][] x = Samples.gaussian(600, new double[2], 1, 2);
    double[][] y = Samples.gaussian(500, new double[2], 1, 3);
    assertThat(Math.abs(Mmd.squared(x, y, 4))).isLessThan(0.01);
  }

  @Test
  void growsWithSeparation() {
    double[][] x = Samples.gaussian(500, new double[2], 1, 4);
    double[][] y = Samples.gaussian(500, new double[2], 1, 5);
    double previous = Mmd.squared(x, y, 6);
    for (double shift : new double[] {0.25, 0.5, 1, 2, 4}) {
      double mmd = Mmd.squared(x, Samples.shifted(y, new double[] {shift, 0}), 6);
      assertThat(mmd).as("MMD² at shift %s", shift).isGreaterThan(previous);
      previous = mmd;
    }
  }

  @Test
  void bandwidthsAreHalfOneAndTwoMedians() {
    double[][] x = {{0}, {1}};
    double[][] y = {{3}};
    // Pairwise distances 1, 3, 2: median 2.
    assertThat(Mmd.bandwidths(x, y, 0)).containsExactly(1, 2, 4);
    // Four points, six distances 1, 2, 3, 1, 2, 1 → sorted 1 1 1 2 2 3: median (1 + 2)/2.
    assertThat(Mmd.medianDistance(new double[][] {{0}, {1}}, new double[][] {{2}, {3}}, 0)).isEqualTo(1.5);
  }

  /** |X − X'| for X, X' ~ N(0, 1) is half-normal with scale √2: median √2 · 0.674490. */
  @Test
  void medianHeuristicOnALargePoolUsesASeededSubsample() {
    double[][] x = Samples.gaussian(1500, new double[1], 1, 7);
    double[][] y = Samples.gaussian(1500, new double[1], 1, 8);
    double median = Mmd.medianDistance(x, y, 9);
    assertThat(median).isEqualTo(Mmd.medianDistance(x, y, 9));
    assertThat(median).isNotEqualTo(Mmd.medianDistance(x, y, 10));
    assertThat(median).isCloseTo(Math.sqrt(2) * 0.674490, within(0.05));
  }

  @Test
  void coincidingPointsNeedExplicitBandwidths() {
    double[][] x = {{1, 1}, {1, 1}};
    assertThatThrownBy(() -> Mmd.squared(x, x, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pass bandwidths explicitly");
    assertThatThrownBy(() -> Mmd.squared(x, x, new double[] {0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive and finite");
  }

  @Test
  void needsTwoRowsPerSet() {
    assertThatThrownBy(() -> Mmd.squared(new double[][] {{0}}, new double[][] {{0}, {1}}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x needs at least 2 rows");
  }

  @Test
  void tensorOverloadMatchesRows() {
    double[][] x = Samples.gaussian(40, new double[3], 1, 11);
    double[][] y = Samples.gaussian(30, new double[3], 1.5, 12);
    assertThat(Mmd.squared(Samples.tensor(x), Samples.tensor(y), 1))
        .isCloseTo(Mmd.squared(x, y, 1), within(1e-5));
  }
}
