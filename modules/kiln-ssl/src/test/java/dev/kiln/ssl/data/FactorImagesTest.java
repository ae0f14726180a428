package dev.kiln.ssl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.data.MnistDigits;
import dev.kiln.ssl.augment.Picture;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FactorImagesTest {

  @Test
  void shapeScenesAreRepeatableAndEveryFactorValueOccurs() {
    FactorImages a = ShapeScenes.generate(400, 16, 3);
    FactorImages b = ShapeScenes.generate(400, 16, 3);
    assertThat(a.picture(17).pixels()).containsExactly(b.picture(17).pixels());
    assertThat(a.trainSize()).isEqualTo(320);
    for (int f = 0; f < a.factors().size(); f++) {
      int classes = a.factors().get(f).classes();
      int[] seen = new int[classes];
      for (int i = 0; i < a.size(); i++) {
        seen[a.label(f, i)]++;
      }
      assertThat(java.util.Arrays.stream(seen).min().orElseThrow()).as(a.factors().get(f).name())
          .isGreaterThan(400 / classes / 3);
    }
  }

  @Test
  void eachFactorChangesThePicture() {
    int[] base = {0, 0, 4, 0, 1};
    Picture reference = ShapeScenes.render(16, base[0], base[1], base[2], base[3], base[4], new SplittableRandom(1));
    for (int f = 0; f < base.length; f++) {
      int[] v = base.clone();
      v[f] = 1;
      if (f == 4) {
        v[f] = 0;
      }
      Picture p = ShapeScenes.render(16, v[0], v[1], v[2], v[3], v[4], new SplittableRandom(1));
      assertThat(p.pixels()).as(ShapeScenes.FACTORS.get(f).name()).isNotEqualTo(reference.pixels());
    }
  }

  @Test
  void hueLabelDecidesWhichChannelIsBrightest() {
    FactorImages a = ShapeScenes.generate(60, 16, 5);
    int hue = a.factorIndex("hue");
    for (int i = 0; i < a.size(); i++) {
      if (a.label(hue, i) == 0) {
        double[] sums = channelSums(a.picture(i));
        assertThat(sums[0]).isGreaterThan(sums[1]).isGreaterThan(sums[2]);
      }
    }
  }

  @Test
  void colouredDigitsKeepTheMnistLabelAndPlaceTheDigitByPosition() {
    FactorImages d = ColouredDigits.generate(50, 20, 16, 1);
    assertThat(d.size()).isEqualTo(70);
    assertThat(d.trainSize()).isEqualTo(50);
    int[] idx = MnistDigits.load().train().seededSubset(1, 50);
    for (int i = 0; i < 50; i++) {
      assertThat(d.label(0, i)).isEqualTo(MnistDigits.load().train().label(idx[i]));
    }
    for (int i = 0; i < d.size(); i++) {
      Picture p = d.picture(i);
      int position = d.label(2, i);
      // Offsets 0 or 2 leave the far two columns (or rows) empty.
      if (position % 3 == 0) {
        assertThat(column(p, 15) + column(p, 14)).isZero();
      } else if (position % 3 == 2) {
        assertThat(column(p, 0) + column(p, 1)).isZero();
      }
    }
  }

  @Test
  void tooSmallPicturesAreRefusedWithTheSize() {
    assertThatThrownBy(() -> ShapeScenes.generate(10, 8, 0)).hasMessageContaining("got 8");
    assertThatThrownBy(() -> ColouredDigits.generate(10, 10, 12, 0)).hasMessageContaining("got 12");
  }

  private static double[] channelSums(Picture p) {
    double[] s = new double[3];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < p.area(); i++) {
        s[c] += p.pixels()[c * p.area() + i];
      }
    }
    return s;
  }

  private static double column(Picture p, int x) {
    double s = 0;
    for (int c = 0; c < p.channels(); c++) {
      for (int y = 0; y < p.height(); y++) {
        s += p.at(c, y, x);
      }
    }
    return s;
  }
}
