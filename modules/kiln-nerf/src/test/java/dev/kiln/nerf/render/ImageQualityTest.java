package dev.kiln.nerf.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PSNR and scikit-image-style SSIM. */
class ImageQualityTest {

  @Test
  void psnrOfAUniformErrorIsMinusTenLogOfItsSquare() {
    float[] a = new float[3 * 16];
    float[] b = new float[3 * 16];
    Arrays.fill(b, 0.1f);
    assertThat(ImageQuality.psnr(a, b)).isCloseTo(20, within(1e-5));
  }

  @Test
  void ssimOfTwoFlatImagesIsTheLuminanceTermAlone() {
    float[] a = new float[3 * 10 * 10];
    float[] b = new float[3 * 10 * 10];
    Arrays.fill(a, 0.3f);
    Arrays.fill(b, 0.5f);
    double c1 = 1e-4;
    double expected = (2 * 0.3 * 0.5 + c1) / (0.09 + 0.25 + c1);
    assertThat(ImageQuality.ssim(a, b, 3, 10, 10)).isCloseTo(expected, within(1e-6));
  }

  @Test
  void ssimIsOneForIdenticalImagesAndFallsWithNoise() {
    SplittableRandom rng = new SplittableRandom(5);
    float[] a = new float[3 * 32 * 32];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rng.nextDouble();
    }
    float[] slight = a.clone();
    float[] heavy = a.clone();
    for (int i = 0; i < a.length; i++) {
      slight[i] += (float) (0.02 * rng.nextGaussian());
      heavy[i] += (float) (0.2 * rng.nextGaussian());
    }
    assertThat(ImageQuality.ssim(a, a, 3, 32, 32)).isCloseTo(1, within(1e-9));
    double s1 = ImageQuality.ssim(a, slight, 3, 32, 32);
    double s2 = ImageQuality.ssim(a, heavy, 3, 32, 32);
    assertThat(s1).isLessThan(1).isGreaterThan(s2);
  }
}
