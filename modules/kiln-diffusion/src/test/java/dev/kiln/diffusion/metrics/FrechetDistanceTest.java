package dev.kiln.diffusion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

  @Test
  void identicalFeatureSetsAreAtDistanceZero() {
    double[][] x = Samples.gaussian(2000, new double[32], 1, 1);
    assertThat(FrechetDistance.between(x, x)).isCloseTo(0, within(1e-9));
  }

  @Test
  void unitCovarianceGaussiansDifferByTheSquaredMeanDistance() {
    double[] mu1 = {1, 2, 3, 4};
    double[] mu2 = {0, 2, 5, 3};
    assertThat(FrechetDistance.between(Gaussian.isotropic(mu1, 1), Gaussian.isotropic(mu2, 1)))
        .isCloseTo(1 + 0 + 4 + 1, within(1e-12));
  }

  /** A shifted copy has the identical sample covariance, so only ‖δ‖² remains. */
  @Test
  void shiftedSampleIsAtSquaredShiftDistance() {
    double[][] x = Samples.gaussian(3000, new double[16], 1, 2);
    double[] delta = Samples.axis(16, 3, 0.7);
    delta[9] = -1.2;
    assertThat(FrechetDistance.between(x, Samples.shifted(x, delta)))
        .isCloseTo(0.49 + 1.44, within(1e-8));
  }

  @Test
  void isotropicScalesDifferByDimensionTimesSquaredScaleGap() {
    int d = 24;
    double a = 0.5;
    double b = 2.0;
    double expected = d * (a - b) * (a - b);
    assertThat(FrechetDistance.between(Gaussian.isotropic(new double[d], a), Gaussian.isotropic(new double[d], b)))
        .isCloseTo(expected, within(1e-10));
    double[][] x = Samples.gaussian(20000, new double[d], a, 3);
    double[][] y = Samples.gaussian(20000, new double[d], b, 4);
    assertThat(FrechetDistance.between(x, y)).isCloseTo(expected, within(0.03 * expected));
  }

  /** Covariances sharing eigenvectors commute: tr (Σ₁Σ₂)^{1/2} = Σ √(λᵢμᵢ), so FD = Σ (√λᵢ − √μᵢ)². */
  @Test
  void commutingCovariancesMatchTheEigenvalueFormula() {
    int d = 64;
    double[][] q = Samples.orthogonal(d, 5);
    double[] lambda = new double[d];
    double[] mu = new double[d];
    double expected = 0;
    for (int i = 0; i < d; i++) {
      lambda[i] = 0.1 + i * 0.05;
      mu[i] = i % 3 == 0 ? 0 : 2.0 / (1 + i);
      expected += Math.pow(Math.sqrt(lambda[i]) - Math.sqrt(mu[i]), 2);
    }
    Gaussian g1 = new Gaussian(new double[d], Samples.withEigenvalues(q, lambda));
    Gaussian g2 = new Gaussian(new double[d], Samples.withEigenvalues(q, mu));
    assertThat(FrechetDistance.between(g1, g2)).isCloseTo(expected, within(1e-9));
  }

  /** For 2×2 matrices with nonnegative eigenvalues, tr √M = sqrt(tr M + 2 sqrt(det M)). */
  @Test
  void nonCommutingTwoByTwoMatchesTheClosedForm() {
    double[][] s1 = {{2, 0.5}, {0.5, 1}};
    double[][] s2 = {{1, -0.3}, {-0.3, 0.5}};
    double[][] p = {
        {s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0], s1[0][0] * s2[0][1] + s1[0][1] * s2[1][1]},
        {s1[1][0] * s2[0][0] + s1[1][1] * s2[1][0], s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1]}};
    double trace = p[0][0] + p[1][1];
    double det = p[0][0] * p[1][1] - p[0][1] * p[1][0];
    assertThat(FrechetDistance.traceOfSqrtProduct(s1, s2))
        .isCloseTo(Math.sqrt(trace + 2 * Math.sqrt(det)), within(1e-13));
  }

  /** Σ₁Σ₂ and Σ₂Σ₁ have the same eigenvalues, though the two routes decompose different matrices. */
  @Test
  void traceOfSqrtProductIsSymmetricInItsArguments() {
    int d = 128;
    double[][] s1 = Gaussian.fit(Samples.gaussian(400, new double[d], 1, 6)).covariance();
    double[][] s2 = Gaussian.fit(Samples.shifted(Samples.gaussian(400, new double[d], 2, 7), new double[d]))
        .covariance();
    assertThat(FrechetDistance.traceOfSqrtProduct(s1, s2))
        .isCloseTo(FrechetDistance.traceOfSqrtProduct(s2, s1), within(1e-8));
  }

  @Test
  void rankDeficientCovarianceStaysFinite() {
    double[][] x = Samples.gaussian(5, new double[20], 1, 8); // rank ≤ 4 in 20 dimensions
    double[][] y = Samples.gaussian(6, new double[20], 1, 9);
    double fd = FrechetDistance.between(x, y);
    assertThat(fd).isFinite().isPositive();
  }

  @Test
  void fitUsesUnbiasedCovariance() {
    Gaussian g = Gaussian.fit(new double[][] {{0, 0}, {2, 2}, {4, -2}});
    assertThat(g.mean()).containsExactly(2, 0);
    assertThat(g.covariance()[0]).containsExactly(4, -2);
    assertThat(g.covariance()[1]).containsExactly(-2, 4);
  }

  @Test
  void tensorOverloadMatchesRows() {
    double[][] x = Samples.gaussian(100, new double[4], 1, 10);
    double[][] y = Samples.gaussian(80, new double[] {1, 0, 0, 0}, 0.5, 11);
    assertThat(FrechetDistance.between(Samples.tensor(x), Samples.tensor(y)))
        .isCloseTo(FrechetDistance.between(x, y), within(1e-5));
  }

  @Test
  void mismatchedDimensionsAreRejected() {
    assertThatThrownBy(() -> FrechetDistance.between(Gaussian.isotropic(new double[2], 1), Gaussian.isotropic(new double[3], 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 2 and 3");
    assertThatThrownBy(() -> new Gaussian(new double[2], new double[3][3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("covariance has 3 rows");
  }
}
