package dev.kiln.diffusion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.runtime.Tensor;
import org.junit.jupiter.api.Test;

class SlicedWassersteinTest {

  @Test
  void identicalSetsAreAtDistanceZero() {
    double[][] x = Samples.gaussian(500, new double[3], 1, 1);
    assertThat(SlicedWasserstein.distance(x, Samples.shifted(x, new double[3]), 7)).isZero();
  }

  /**
   * With Y = X + δe₁ every projection is shifted by δθ₁ without reordering, so W₂² = δ²θ₁² per
   * direction and SWD₂ = δ·sqrt(mean θ₁²) exactly; E[θ₁²] = 1/d makes that ≈ δ/√d.
   */
  @Test
  void shiftAlongOneAxisGivesDeltaTimesRmsOfFirstDirectionComponent() {
    int d = 4;
    double delta = 1.5;
    double[][] x = Samples.gaussian(400, new double[d], 1, 2);
    double[][] y = Samples.shifted(x, Samples.axis(d, 0, delta));
    long seed = 11;

    double meanSquare = 0;
    for (double[] theta : SlicedWasserstein.directions(d, SlicedWasserstein.DEFAULT_DIRECTIONS, seed)) {
      meanSquare += theta[0] * theta[0];
    }
    meanSquare /= SlicedWasserstein.DEFAULT_DIRECTIONS;

    double swd = SlicedWasserstein.distance(x, y, seed);
    assertThat(swd).isCloseTo(delta * Math.sqrt(meanSquare), within(1e-9));
    assertThat(swd).isCloseTo(delta / Math.sqrt(d), within(0.08 * delta / Math.sqrt(d)));
  }

  @Test
  void directionsAreUnitVectorsAndDependOnlyOnTheSeed() {
    double[][] a = SlicedWasserstein.directions(5, 32, 3);
    double[][] b = SlicedWasserstein.directions(5, 32, 3);
    assertThat(a).isDeepEqualTo(b);
    for (double[] t : a) {
      double norm = 0;
      for (double v : t) {
        norm += v * v;
      }
      assertThat(norm).isCloseTo(1, within(1e-12));
    }
    assertThat(SlicedWasserstein.directions(5, 32, 4)[0]).isNotEqualTo(a[0]);
  }

  @Test
  void equalSizesGiveTheMeanSquaredDifferenceOfSortedValues() {
    assertThat(SlicedWasserstein.squaredW2(new double[] {0, 1, 5}, new double[] {1, 1, 2}))
        .isCloseTo((1 + 0 + 9) / 3.0, within(1e-15));
  }

  @Test
  void unequalSizesIntegrateTheQuantileFunctions() {
    // Same distribution, different sizes: no distance.
    assertThat(SlicedWasserstein.squaredW2(new double[] {0, 1}, new double[] {0, 0, 1, 1})).isZero();
    // Quantiles of {0} and {0, 1} differ by 1 on half the levels.
    assertThat(SlicedWasserstein.squaredW2(new double[] {0}, new double[] {0, 1})).isCloseTo(0.5, within(1e-15));
    // {0, 3} vs {0, 1, 2}: levels (0,1/3] 0, (1/3,1/2] 1, (1/2,2/3] 2² , (2/3,1] 1² → (0 + 1/6 + 4/6 + 1/3)
    assertThat(SlicedWasserstein.squaredW2(new double[] {0, 3}, new double[] {0, 1, 2}))
        .isCloseTo(1 / 6.0 + 4 / 6.0 + 1 / 3.0, within(1e-15));
  }

  @Test
  void independentSamplesOfOneDistributionAreCloserThanShiftedOnes() {
    double[][] x = Samples.gaussian(1000, new double[2], 1, 5);
    double[][] y = Samples.gaussian(700, new double[2], 1, 6);
    double same = SlicedWasserstein.distance(x, y, 1);
    double shifted = SlicedWasserstein.distance(x, Samples.shifted(y, new double[] {0.5, 0}), 1);
    assertThat(same).isLessThan(0.1);
    assertThat(shifted).isGreaterThan(3 * same);
  }

  @Test
  void tensorOverloadMatchesRows() {
    double[][] x = Samples.gaussian(50, new double[2], 1, 8);
    double[][] y = Samples.gaussian(60, new double[] {1, 0}, 1, 9);
    Tensor tx = Samples.tensor(x);
    Tensor ty = Samples.tensor(y);
    assertThat(SlicedWasserstein.distance(tx, ty, 3))
        .isCloseTo(SlicedWasserstein.distance(x, y, 3), within(1e-5));
  }

  @Test
  void mismatchedWidthsAreRejected() {
    assertThatThrownBy(() -> SlicedWasserstein.distance(new double[2][3], new double[2][2], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x has 3 features per row, y has 2");
    assertThatThrownBy(() -> SlicedWasserstein.distance(Tensor.of(new float[6], 6), Tensor.of(new float[6], 3, 2), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[n, d]");
  }
}
