package dev.kiln.ssl.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationsTest {

  private static final List<Augmentation> ALL = List.of(new ResizedCrop(0.3, 1), new Translate(2),
      new FlipRotate(0.5, true), new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8), new Grayscale(0.2),
      new GaussianBlur(0.1, 2, 0.5), new Solarize(0.5, 0.2));

  /** A 3×4×4 picture whose every value differs. */
  static Picture ramp() {
    float[] p = new float[48];
    for (int i = 0; i < p.length; i++) {
      p[i] = (i + 1) / 50f;
    }
    return new Picture(3, 4, 4, p);
  }

  @Test
  void identityDrawLeavesEveryTransformsInputUnchanged() {
    Picture in = ramp();
    for (Augmentation a : ALL) {
      assertThat(a.apply(in, a.identity()).pixels()).as(a.name()).containsExactly(in.pixels(), within(1e-6f));
      assertThat(a.difference(a.identity(), a.identity())).as(a.name()).isZero();
    }
  }

  @Test
  void oneQuarterTurnMovesTheTopRowToTheLeftColumn() {
    Picture in = new Picture(1, 2, 2, new float[] {1, 2, 3, 4});
    FlipRotate r = new FlipRotate(0, true);
    // Counter-clockwise: [[1, 2], [3, 4]] becomes [[2, 4], [1, 3]].
    assertThat(r.apply(in, new Augmentation.Draw(r, new double[] {0, 1})).pixels()).containsExactly(2, 4, 1, 3);
    assertThat(r.apply(in, new Augmentation.Draw(r, new double[] {1, 0})).pixels()).containsExactly(2, 1, 4, 3);
  }

  @Test
  void fourQuarterTurnsAndTwoFlipsRestoreThePicture() {
    Picture in = ramp();
    FlipRotate r = new FlipRotate(1, true);
    Picture p = in;
    for (int t = 0; t < 4; t++) {
      p = r.apply(p, new Augmentation.Draw(r, new double[] {0, 1}));
    }
    assertThat(p.pixels()).containsExactly(in.pixels());
    Picture flipped = r.apply(r.apply(in, new Augmentation.Draw(r, new double[] {1, 0})),
        new Augmentation.Draw(r, new double[] {1, 0}));
    assertThat(flipped.pixels()).containsExactly(in.pixels());
  }

  @Test
  void cropOfTheLeftHalfStretchesItAcrossThePicture() {
    float[] p = new float[16];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        p[y * 4 + x] = x;
      }
    }
    ResizedCrop c = new ResizedCrop(0.5, 0.5);
    Picture out = c.apply(new Picture(1, 4, 4, p), new Augmentation.Draw(c, new double[] {0, 0, 0.5, 1}));
    // Output column x samples source column (x + 0.5)/2 − 0.5, clamped at 0.
    assertThat(out.at(0, 2, 0)).isEqualTo(0f);
    assertThat(out.at(0, 2, 1)).isCloseTo(0.25f, within(1e-6f));
    assertThat(out.at(0, 2, 3)).isCloseTo(1.25f, within(1e-6f));
  }

  @Test
  void cropDifferenceIsOneMinusBoxOverlap() {
    ResizedCrop c = new ResizedCrop(0.25, 1);
    Augmentation.Draw left = new Augmentation.Draw(c, new double[] {0, 0, 0.5, 1});
    Augmentation.Draw right = new Augmentation.Draw(c, new double[] {0.5, 0, 0.5, 1});
    Augmentation.Draw middle = new Augmentation.Draw(c, new double[] {0.25, 0, 0.5, 1});
    assertThat(c.difference(left, left)).isZero();
    assertThat(c.difference(left, right)).isEqualTo(1.0);
    // Overlap 0.25 of a union of 0.75.
    assertThat(c.difference(left, middle)).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void sampledCropsKeepTheirBoxInsideThePictureAndAreaInRange() {
    ResizedCrop c = new ResizedCrop(0.3, 0.6);
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      Augmentation.Draw d = c.sample(rng);
      assertThat(d.value(0) + d.value(2)).isLessThanOrEqualTo(1 + 1e-12);
      assertThat(d.value(1) + d.value(3)).isLessThanOrEqualTo(1 + 1e-12);
      assertThat(d.value(2) * d.value(3)).isBetween(0.3 * 0.75 - 1e-9, 0.6 + 1e-9);
    }
  }

  @Test
  void translateShiftsContentAndFillsWithZero() {
    Translate t = new Translate(1);
    Picture out = t.apply(new Picture(1, 2, 2, new float[] {1, 2, 3, 4}), new Augmentation.Draw(t,
        new double[] {1, 0}));
    assertThat(out.pixels()).containsExactly(0, 1, 0, 3);
  }

  @Test
  void brightnessScalesAndHueThirdTurnsRedIntoGreen() {
    ColorJitter j = new ColorJitter(0.5, 0, 0, 0.5, 1);
    Picture red = new Picture(3, 1, 1, new float[] {0.8f, 0, 0});
    Picture darker = j.apply(red, new Augmentation.Draw(j, new double[] {1, 0.5, 1, 1, 0}));
    assertThat(darker.pixels()).containsExactly(new float[] {0.4f, 0, 0}, within(1e-6f));
    Picture green = j.apply(red, new Augmentation.Draw(j, new double[] {1, 1, 1, 1, 1.0 / 3}));
    assertThat(green.pixels()).containsExactly(new float[] {0, 0.8f, 0}, within(1e-6f));
  }

  @Test
  void zeroSaturationAndGrayscaleBothGiveTheLuma() {
    Picture p = new Picture(3, 1, 1, new float[] {0.2f, 0.6f, 1.0f});
    float luma = (float) (0.299 * 0.2 + 0.587 * 0.6 + 0.114 * 1.0);
    Grayscale g = new Grayscale(1);
    assertThat(g.apply(p, new Augmentation.Draw(g, new double[] {1})).pixels())
        .containsExactly(new float[] {luma, luma, luma}, within(1e-6f));
    ColorJitter j = new ColorJitter(0, 0, 1, 0, 1);
    assertThat(j.apply(p, new Augmentation.Draw(j, new double[] {1, 1, 1, 0, 0})).pixels())
        .containsExactly(new float[] {luma, luma, luma}, within(1e-6f));
  }

  @Test
  void solarizeInvertsOnlyValuesAtOrAboveTheThreshold() {
    Solarize s = new Solarize(0.5, 1);
    Picture out = s.apply(new Picture(1, 1, 3, new float[] {0.2f, 0.5f, 0.9f}), new Augmentation.Draw(s,
        new double[] {1}));
    assertThat(out.pixels()).containsExactly(new float[] {0.2f, 0.5f, 0.1f}, within(1e-6f));
  }

  @Test
  void blurSpreadsAnImpulseSymmetricallyAndKeepsItsMass() {
    float[] p = new float[49];
    p[24] = 1;
    GaussianBlur b = new GaussianBlur(0.5, 1, 1);
    Picture out = b.apply(new Picture(1, 7, 7, p), new Augmentation.Draw(b, new double[] {0.8}));
    double sum = 0;
    for (float v : out.pixels()) {
      sum += v;
    }
    assertThat(sum).isCloseTo(1, within(1e-5));
    assertThat(out.at(0, 3, 3)).isLessThan(1f).isGreaterThan(out.at(0, 3, 4));
    assertThat(out.at(0, 3, 2)).isEqualTo(out.at(0, 3, 4));
    assertThat(out.at(0, 2, 3)).isEqualTo(out.at(0, 4, 3));
  }

  @Test
  void aDrawFromAnotherTransformIsRefused() {
    Stage s = Stage.of("colour", new Grayscale(1));
    assertThatThrownBy(() -> s.apply(ramp(), List.of(new Solarize(0.5, 1).identity())))
        .hasMessageContaining("colour").hasMessageContaining("solarize");
  }
}
