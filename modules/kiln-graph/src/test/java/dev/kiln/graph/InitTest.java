package dev.kiln.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InitTest {

  private static final Fans FANS = new Fans(64, 32);

  @Test
  void sameSeedGivesSameValues() {
    double[] a = Init.normal(0.02).sample(1000, FANS, new SplittableRandom(7));
    double[] b = Init.normal(0.02).sample(1000, FANS, new SplittableRandom(7));
    double[] c = Init.normal(0.02).sample(1000, FANS, new SplittableRandom(8));
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void uniformSchemesRespectTheirBounds() {
    double xavier = Math.sqrt(6.0 / (64 + 32));
    double[] x = Init.xavierUniform().sample(10_000, FANS, new SplittableRandom(1));
    assertThat(Arrays.stream(x).max().orElseThrow()).isLessThanOrEqualTo(xavier).isGreaterThan(0.95 * xavier);
    assertThat(Arrays.stream(x).min().orElseThrow()).isGreaterThanOrEqualTo(-xavier).isLessThan(-0.95 * xavier);
    double kaiming = 1 / Math.sqrt(64);
    double[] k = Init.kaimingUniform().sample(10_000, FANS, new SplittableRandom(1));
    assertThat(Arrays.stream(k).map(Math::abs).max().orElseThrow()).isLessThanOrEqualTo(kaiming)
        .isGreaterThan(0.95 * kaiming);
  }

  @Test
  void normalAndTruncatedNormalHaveTheRightSpread() {
    double[] n = Init.normal(2.0).sample(200_000, FANS, new SplittableRandom(3));
    assertThat(std(n)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.02));
    double[] t = Init.truncatedNormal(1.0).sample(200_000, FANS, new SplittableRandom(3));
    assertThat(Arrays.stream(t).map(Math::abs).max().orElseThrow()).isLessThanOrEqualTo(2.0);
    // std of N(0,1) truncated to [-2, 2] is 0.8796
    assertThat(std(t)).isCloseTo(0.8796, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void torchTruncatedNormalKeepsTheFullSpreadOfItsStd() {
    double[] t = Init.torchTruncatedNormal(0.02).sample(200_000, FANS, new SplittableRandom(5));
    // the std estimate's standard error is 0.02/sqrt(2n) = 3.2e-5; the ±2σ variant gives 0.8796·0.02 = 0.01759
    assertThat(std(t)).isCloseTo(0.02, org.assertj.core.data.Offset.offset(2e-4));
    // N(0, 1) puts 4.55 % of its mass beyond 2σ (binomial standard error 0.05 %); ±2σ truncation puts none
    double beyond = Arrays.stream(t).filter(x -> Math.abs(x) > 0.04).count() / (double) t.length;
    assertThat(beyond).isCloseTo(0.0455, org.assertj.core.data.Offset.offset(0.003));
  }

  @Test
  void boundedNormalTruncatesAtAbsoluteBounds() {
    double[] t = new Init.BoundedNormal(2.0, -1, 1).sample(200_000, FANS, new SplittableRandom(9));
    assertThat(Arrays.stream(t).max().orElseThrow()).isLessThanOrEqualTo(1.0).isGreaterThan(0.999);
    assertThat(Arrays.stream(t).min().orElseThrow()).isGreaterThanOrEqualTo(-1.0).isLessThan(-0.999);
    // N(0, 2²) on [-1, 1] is 2·(N(0, 1) on [-0.5, 0.5]): std 2·sqrt(1 - 0.5·φ(0.5)/(Φ(0.5) - 1/2)) = 0.56776
    assertThat(std(t)).isCloseTo(0.56776, org.assertj.core.data.Offset.offset(0.004));
  }

  @Test
  void boundedNormalRejectsBoundsThatExcludeZero() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Init.BoundedNormal(1, 0.5, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lo < 0 < hi");
  }

  @Test
  void convolutionFansUseReceptiveField() {
    Fans f = Fans.of(Shape.of(16, 3, 5, 5));
    assertThat(f).isEqualTo(new Fans(75, 400));
    assertThat(Fans.of(Shape.of(10, 20))).isEqualTo(new Fans(10, 20));
  }

  private static double std(double[] v) {
    double m = Arrays.stream(v).average().orElseThrow();
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length);
  }
}
