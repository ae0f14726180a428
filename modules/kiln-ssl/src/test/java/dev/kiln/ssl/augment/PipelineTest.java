package dev.kiln.ssl.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PipelineTest {

  static Pipeline pipeline() {
    return Pipeline.of(Stage.of("crop", new ResizedCrop(0.3, 1)), Stage.of("flip", new FlipRotate(0.5, true)),
        Stage.of("colour", new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8), new Grayscale(0.2)),
        Stage.of("blur", new GaussianBlur(0.1, 1.5, 0.5)));
  }

  @Test
  void sameSeedGivesTheSameViewsAndDraws() {
    Picture in = AugmentationsTest.ramp();
    Pipeline.Pair a = pipeline().pair(in, new SplittableRandom(7));
    Pipeline.Pair b = pipeline().pair(in, new SplittableRandom(7));
    assertThat(a.first().draws()).isEqualTo(b.first().draws());
    assertThat(a.second().picture().pixels()).containsExactly(b.second().picture().pixels());
    Pipeline.Pair c = pipeline().pair(in, new SplittableRandom(8));
    assertThat(c.first().draws()).isNotEqualTo(a.first().draws());
  }

  @Test
  void replayingTheRecordedDrawsReproducesTheView() {
    Picture in = AugmentationsTest.ramp();
    Pipeline.View v = pipeline().view(in, new SplittableRandom(11));
    assertThat(pipeline().apply(in, v.draws()).pixels()).containsExactly(v.picture().pixels());
  }

  @Test
  void pairDifferingInOneStageSharesEveryOtherStagesDraw() {
    Picture in = AugmentationsTest.ramp();
    Pipeline p = pipeline();
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 50; i++) {
      int k = i % p.size();
      Pipeline.Pair pair = p.pairDifferingIn(in, k, rng);
      assertThat(pair.stage()).isEqualTo(k);
      for (int s = 0; s < p.size(); s++) {
        if (s != k) {
          assertThat(pair.first().draws().perStage().get(s)).isEqualTo(pair.second().draws().perStage().get(s));
          assertThat(p.difference(s, pair.first().draws(), pair.second().draws())).isZero();
        }
      }
    }
  }

  @Test
  void aStageLeftOutAlwaysDrawsTheIdentity() {
    Pipeline p = pipeline().without(2);
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 30; i++) {
      Pipeline.Draws d = p.sample(rng);
      assertThat(d.perStage().get(2)).containsExactly(new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8).identity(),
          new Grayscale(0.2).identity());
    }
    assertThat(p.indexOf("colour")).isEqualTo(2);
  }
}
