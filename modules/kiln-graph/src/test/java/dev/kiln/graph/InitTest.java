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
