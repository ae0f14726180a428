package dev.kiln.ssl.data;

import dev.kiln.data.MnistDigits;
import dev.kiln.runtime.Seeds;
import dev.kiln.ssl.augment.Hues;
import dev.kiln.ssl.augment.Picture;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MNIST digits (Kiln's bundled copy) made into a factor set: each digit is halved to 14×14 (2×2 means),
 * tinted with one of 6 hues and placed at one of 3×3 offsets on a black canvas. Tasks: the digit (wants
 * invariance to every augmentation), its hue (erased by colour jitter), its position (erased by crops).
 * The training part is MNIST's training split, the test part its test split.
 */
public final class ColouredDigits {

  /** The factors, in label order. */
  public static final List<Factor> FACTORS = List.of(new Factor("digit", 10), new Factor("hue", 6),
      new Factor("position", 9));

  private static final int DIGIT = 14;

  private ColouredDigits() {}

  /**
   * The first {@code trainCount} training and {@code testCount} test digits on {@code side × side}
   * canvases ({@code side ≥ 16}), hue and position drawn by {@code seed}.
   */
  public static FactorImages generate(int trainCount, int testCount, int side, long seed) {
    if (side < DIGIT + 2) {
      throw new IllegalArgumentException("coloured digits need side ≥ " + (DIGIT + 2) + " pixels, got " + side);
    }
    MnistDigits mnist = MnistDigits.load();
    MnistDigits.Split train = mnist.train();
    MnistDigits.Split test = mnist.test();
    if (trainCount > train.size() || testCount > test.size()) {
      throw new IllegalArgumentException("asked for " + trainCount + " + " + testCount + " digits, MNIST holds "
          + train.size() + " + " + test.size());
    }
    int[] trainIdx = train.seededSubset(seed, trainCount);
    int[] testIdx = test.seededSubset(seed, testCount);
    int n = trainCount + testCount;
    Picture[] pictures = new Picture[n];
    int[][] labels = new int[FACTORS.size()][n];
    float[] raw = new float[MnistDigits.PIXELS];
    for (int i = 0; i < n; i++) {
      boolean isTrain = i < trainCount;
      MnistDigits.Split split = isTrain ? train : test;
      int index = isTrain ? trainIdx[i] : testIdx[i - trainCount];
      split.copyImage(index, raw, 0);
      SplittableRandom rng = Seeds.rng(seed, "coloured-digit", i);
      int hue = rng.nextInt(6);
      int position = rng.nextInt(9);
      labels[0][i] = split.label(index);
      labels[1][i] = hue;
      labels[2][i] = position;
      pictures[i] = place(raw, side, hue, position);
    }
    return new FactorImages("digits", FACTORS, pictures, labels, trainCount);
  }

  private static Picture place(float[] digit28, int side, int hue, int position) {
    double[] rgb = Hues.rgb(hue / 6.0, 1, 1);
    int slack = side - DIGIT;
    int ox = (position % 3) * slack / 2;
    int oy = (position / 3) * slack / 2;
    int area = side * side;
    float[] p = new float[3 * area];
    for (int y = 0; y < DIGIT; y++) {
      for (int x = 0; x < DIGIT; x++) {
        int r = 2 * y * MnistDigits.WIDTH + 2 * x;
        float v = (digit28[r] + digit28[r + 1] + digit28[r + MnistDigits.WIDTH] + digit28[r + MnistDigits.WIDTH + 1]) / 4;
        for (int c = 0; c < 3; c++) {
          p[c * area + (oy + y) * side + ox + x] = (float) (v * rgb[c]);
        }
      }
    }
    return new Picture(3, side, side, p);
  }
}
