package dev.kiln.diffusion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

  @Test
  void twoByTwoHasKnownEigenpairs() {
    SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
    assertThat(e.values()).containsExactly(new double[] {1, 3}, within(1e-15));
    double r = Math.sqrt(0.5);
    assertThat(Math.abs(e.vectors()[1][0])).isCloseTo(r, within(1e-15));
    assertThat(e.vectors()[1][0]).isCloseTo(e.vectors()[1][1], within(1e-15));
    assertThat(e.vectors()[0][0]).isCloseTo(-e.vectors()[0][1], within(1e-15));
  }

  @Test
  void reconstructsARandomSymmetricMatrixWithOrthonormalVectors() {
    int d = 60;
    double[][] g = Samples.gaussian(d, new double[d], 1, 3);
    double[][] a = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        a[i][j] = g[i][j] + g[j][i];
      }
    }
    SymmetricEigen e = SymmetricEigen.of(a);
    double[][] v = e.vectors();
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double reconstructed = 0;
        double gram = 0;
        for (int k = 0; k < d; k++) {
          reconstructed += e.values()[k] * v[k][i] * v[k][j];
          gram += v[i][k] * v[j][k];
        }
        assertThat(reconstructed).as("A[%d][%d]", i, j).isCloseTo(a[i][j], within(1e-11));
        assertThat(gram).as("VVᵀ[%d][%d]", i, j).isCloseTo(i == j ? 1 : 0, within(1e-12));
      }
    }
    for (int k = 1; k < d; k++) {
      assertThat(e.values()[k]).isGreaterThanOrEqualTo(e.values()[k - 1]);
    }
  }

  @Test
  void findsPlantedRepeatedEigenvalues() {
    double[] planted = {0, 0, 1e-9, 2, 2, 2, 5};
    double[][] a = Samples.withEigenvalues(Samples.orthogonal(planted.length, 4), planted);
    assertThat(SymmetricEigen.of(a).values()).containsExactly(planted, within(1e-12));
  }

  @Test
  void rejectsNonFiniteAndNonSquareInput() {
    assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, Double.NaN}, {0, 1}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0][1] is NaN");
    assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not square");
  }
}
