package dev.kiln.text.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextMetricsTest {

  @Test
  void bleuIsHundredForACopyZeroForNoSharedWordAndPenalisesShortCandidates() {
    String ref = "the congress has passed the laws that the nation needs this year";
    assertThat(Bleu.corpus(List.of(ref), List.of(ref))).isCloseTo(100, within(1e-9));
    assertThat(Bleu.corpus(List.of("alpha beta gamma delta epsilon"), List.of(ref))).isZero();
    // 4 of the 12 words: all n-gram precisions are 1, the brevity penalty is exp(1 − 12/4).
    assertThat(Bleu.corpus(List.of("the congress has passed"), List.of(ref))).isCloseTo(100 * Math.exp(-2),
        within(1e-9));
  }

  @Test
  void selfBleuIsHighForRepeatedTextsAndLowForDifferentOnes() {
    List<String> same = List.of("we must act now for peace", "we must act now for peace", "we must act now for peace");
    List<String> different = List.of("we must act now for peace", "the treasury reports a surplus of revenue",
        "our army and navy stand ready at every post");
    assertThat(Bleu.self(same)).isCloseTo(100, within(1e-9));
    assertThat(Bleu.self(different)).isLessThan(10);
  }

  @Test
  void repetitionCountsRepeatedFourGramsInASampleAndAcrossTheSet() {
    Diversity looping = Diversity.of(List.of("a b c d a b c d a b c d"));
    // 9 four-grams, 4 distinct.
    assertThat(looping.sampleRep4()).isCloseTo(1 - 4.0 / 9, within(1e-12));
    assertThat(looping.corpusRep4()).isCloseTo(1 - 4.0 / 9, within(1e-12));
    Diversity twice = Diversity.of(List.of("one two three four five", "one two three four five"));
    assertThat(twice.sampleRep4()).isZero();
    assertThat(twice.corpusRep4()).isCloseTo(0.5, within(1e-12));
    assertThat(twice.distinct1()).isCloseTo(0.5, within(1e-12));
    assertThat(twice.entropy1()).isCloseTo(Math.log(5), within(1e-12));
  }

  @Test
  void mauveIsNearOneForOneDistributionAndNearZeroForSeparateOnes() {
    int n = 200;
    int dim = 4;
    float[] p = cloud(n, dim, 0, 1);
    float[] q = cloud(n, dim, 0, 2);
    float[] far = cloud(n, dim, 6, 3);
    assertThat(Mauve.score(p, n, q, n, dim, 1)).isGreaterThan(0.8);
    assertThat(Mauve.score(p, n, far, n, dim, 1)).isLessThan(0.05);
  }

  private static float[] cloud(int n, int dim, double shift, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[n * dim];
    for (int i = 0; i < v.length; i++) {
      // Around (1, 1, 1, 1) or, shifted, around (1, −5, 1, −5): L2 normalisation keeps them apart.
      v[i] = (float) (1 + 0.3 * rng.nextGaussian() - (i % 2 == 1 ? shift : 0));
    }
    return v;
  }

  @Test
  void theClassifierLearnsWordsThatMarkAClassAndIsNearChanceOnNoise() {
    SplittableRandom rng = new SplittableRandom(5);
    String[][] marks = {{"railroad", "territories"}, {"atomic", "soviet"}, {"internet", "terrorism"}};
    List<String> texts = new ArrayList<>();
    int[] labels = new int[600];
    for (int i = 0; i < 600; i++) {
      labels[i] = i % 3;
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < 10; w++) {
        b.append("w").append(rng.nextInt(50)).append(' ');
      }
      b.append(marks[labels[i]][rng.nextInt(2)]);
      texts.add(b.toString());
    }
    AttributeClassifier clf = AttributeClassifier.train(texts.subList(0, 450), java.util.Arrays.copyOf(labels, 450), 3,
        5, 1);
    assertThat(clf.accuracy(texts.subList(450, 600), java.util.Arrays.copyOfRange(labels, 450, 600))).isGreaterThan(0.95);
    assertThat(clf.predict("w1 w2 soviet")).isEqualTo(1);
  }
}
