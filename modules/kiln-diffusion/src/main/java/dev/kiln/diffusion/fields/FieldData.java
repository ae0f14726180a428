package dev.kiln.diffusion.fields;

import dev.kiln.data.Batcher;
import dev.kiln.data.MnistDigits;
import dev.kiln.inference.Domain;
import dev.kiln.runtime.Seeds;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The fields a DPF model is trained on, each on the grid of its domain at a training resolution with
 * signals in [−1, 1]:
 *
 * <ul>
 *   <li>{@code mnist}: MNIST digits on the 28 × 28 plane, signal = 2·intensity − 1;
 *   <li>{@code shapes}: occupancy (+1 inside, −1 outside) of {@link ProceduralShapes} on an r³ grid of
 *       [−1, 1]³ (r = 16 by default);
 *   <li>{@code sphere-mnist}: MNIST digits projected onto the northern hemisphere of S² by the
 *       stereographic projection from the south pole, {@code (u, v) = 1.25·(x, y)/(1 + z)} (the digit's
 *       square fills the cap θ ≲ 77°), read bilinearly, on an r × 2r latitude–longitude grid (r = 24).
 * </ul>
 */
public sealed interface FieldData permits FieldData.DigitPlane, FieldData.Shapes, FieldData.DigitSphere {

  /** The recipe spelling. */
  String id();

  Domain domain();

  /** Training resolution. */
  int resolution();

  /** Classes of the data (10 for digits, 0 for shapes). */
  int classes();

  /** Grid coordinates [P·D]. */
  default double[] coords() {
    return domain().grid(resolution());
  }

  /** Grid points P. */
  default int pairs() {
    return domain().pairs(resolution());
  }

  /** Fills the signals [n, P] of the training fields of {@code step} (1-based); returns their labels, or null. */
  long[] sample(long seed, long step, int n, double[] signals);

  /** Fills reference fields [n, P]: a seeded subset of the held-out (or training) split. */
  void reference(long seed, int n, boolean heldOut, double[] signals);

  /** The data set {@code id} at {@code resolution} (null: its default), batches of {@code batch}. */
  static FieldData of(String id, Integer resolution, int batch) {
    String s = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "mnist" -> {
        if (resolution != null && resolution != MnistDigits.WIDTH) {
          throw new IllegalArgumentException("dpf task: data `mnist` lives on the 28 × 28 grid; field `resolution`"
              + " must be 28 or absent, got " + resolution);
        }
        yield new DigitPlane(MnistDigits.load(), batch);
      }
      case "shapes" -> new Shapes(resolution == null ? 16 : positive(resolution));
      case "sphere-mnist" -> new DigitSphere(MnistDigits.load(), batch, resolution == null ? 24 : positive(resolution));
      default -> throw new IllegalArgumentException("dpf task: field `data` must be mnist, shapes or sphere-mnist, got `"
          + id + "`");
    };
  }

  private static int positive(int r) {
    if (r < 2 || r > 256) {
      throw new IllegalArgumentException("dpf task: field `resolution` must be in [2, 256], got " + r);
    }
    return r;
  }

  /** MNIST on the plane. */
  final class DigitPlane implements FieldData {
    private final Digits digits;

    DigitPlane(MnistDigits mnist, int batch) {
      this.digits = new Digits(mnist, batch);
    }

    @Override
    public String id() {
      return "mnist";
    }

    @Override
    public Domain domain() {
      return new Domain.Plane();
    }

    @Override
    public int resolution() {
      return MnistDigits.WIDTH;
    }

    @Override
    public int classes() {
      return MnistDigits.CLASSES;
    }

    @Override
    public long[] sample(long seed, long step, int n, double[] signals) {
      return digits.train(seed, step, n, (img, off) -> copy(img, signals, off), pairs());
    }

    @Override
    public void reference(long seed, int n, boolean heldOut, double[] signals) {
      digits.reference(seed, n, heldOut, (img, off) -> copy(img, signals, off), pairs());
    }

    private static void copy(float[] img, double[] out, int offset) {
      for (int i = 0; i < img.length; i++) {
        out[offset + i] = 2 * img[i] - 1;
      }
    }
  }

  /** Procedural 3-D shapes as occupancy on the cube. */
  record Shapes(int resolution) implements FieldData {
    @Override
    public String id() {
      return "shapes";
    }

    @Override
    public Domain domain() {
      return new Domain.Volume();
    }

    @Override
    public int classes() {
      return 0;
    }

    @Override
    public long[] sample(long seed, long step, int n, double[] signals) {
      fill(n, signals, i -> Seeds.rng(seed, "dpf-shapes", step, i));
      return null;
    }

    @Override
    public void reference(long seed, int n, boolean heldOut, double[] signals) {
      fill(n, signals, i -> Seeds.rng(seed, heldOut ? "dpf-shapes-reference" : "dpf-shapes-train-reference", i));
    }

    private void fill(int n, double[] signals, java.util.function.IntFunction<SplittableRandom> rng) {
      double[] c = coords();
      int p = pairs();
      for (int i = 0; i < n; i++) {
        ProceduralShapes.occupancy(ProceduralShapes.draw(rng.apply(i)), c, signals, i * p);
      }
    }
  }

  /** MNIST projected onto the sphere. */
  final class DigitSphere implements FieldData {
    /** The digit's [−1, 1]² square reaches stereographic radius 0.8. */
    private static final double SCALE = 1.25;
    private final Digits digits;
    private final int resolution;

    DigitSphere(MnistDigits mnist, int batch, int resolution) {
      this.digits = new Digits(mnist, batch);
      this.resolution = resolution;
    }

    @Override
    public String id() {
      return "sphere-mnist";
    }

    @Override
    public Domain domain() {
      return new Domain.Sphere();
    }

    @Override
    public int resolution() {
      return resolution;
    }

    @Override
    public int classes() {
      return MnistDigits.CLASSES;
    }

    @Override
    public long[] sample(long seed, long step, int n, double[] signals) {
      double[] c = coords();
      return digits.train(seed, step, n, (img, off) -> project(img, c, signals, off), pairs());
    }

    @Override
    public void reference(long seed, int n, boolean heldOut, double[] signals) {
      double[] c = coords();
      digits.reference(seed, n, heldOut, (img, off) -> project(img, c, signals, off), pairs());
    }

    /** The digit {@code img [28·28]} in [0, 1] at the sphere points {@code c [P·3]}, as 2·intensity − 1. */
    static void project(float[] img, double[] c, double[] out, int offset) {
      for (int p = 0; p < c.length / 3; p++) {
        double z = c[3 * p + 2];
        double value = 0;
        if (z > 0) {
          double u = SCALE * c[3 * p] / (1 + z);
          double v = -SCALE * c[3 * p + 1] / (1 + z);
          value = bilinear(img, u, v);
        }
        out[offset + p] = 2 * value - 1;
      }
    }

    /** The image at (u, v) ∈ [−1, 1]² (pixel centres at (2i + 1)/28 − 1), zero outside. */
    private static double bilinear(float[] img, double u, double v) {
      int w = MnistDigits.WIDTH;
      double fx = (u + 1) * w / 2 - 0.5;
      double fy = (v + 1) * w / 2 - 0.5;
      int x0 = (int) Math.floor(fx);
      int y0 = (int) Math.floor(fy);
      double ax = fx - x0;
      double ay = fy - y0;
      return (1 - ay) * ((1 - ax) * pixel(img, x0, y0) + ax * pixel(img, x0 + 1, y0))
          + ay * ((1 - ax) * pixel(img, x0, y0 + 1) + ax * pixel(img, x0 + 1, y0 + 1));
    }

    private static double pixel(float[] img, int x, int y) {
      int w = MnistDigits.WIDTH;
      return x < 0 || y < 0 || x >= w || y >= w ? 0 : img[y * w + x];
    }
  }

  /** Seeded batches and reference subsets of MNIST digits, handed to {@code sink} one image at a time. */
  final class Digits {
    private final MnistDigits mnist;
    private final int batch;
    private Batcher batcher;
    private long batcherSeed;

    /** Receives one digit [28·28] in [0, 1] and the offset of its field in the output. */
    interface Sink {
      void accept(float[] image, int offset);
    }

    Digits(MnistDigits mnist, int batch) {
      this.mnist = mnist;
      this.batch = batch;
    }

    long[] train(long seed, long step, int n, Sink sink, int pairs) {
      if (batcher == null || batcherSeed != seed) {
        batcher = new Batcher(mnist.train().size(), batch, seed);
        batcherSeed = seed;
      }
      int[] idx = batcher.indices(step - 1);
      long[] labels = new long[n];
      float[] img = new float[MnistDigits.PIXELS];
      for (int i = 0; i < n; i++) {
        mnist.train().copyImage(idx[i % idx.length], img, 0);
        sink.accept(img, i * pairs);
        labels[i] = mnist.train().label(idx[i % idx.length]);
      }
      return labels;
    }

    void reference(long seed, int n, boolean heldOut, Sink sink, int pairs) {
      MnistDigits.Split split = heldOut ? mnist.test() : mnist.train();
      int[] subset = split.seededSubset(seed, n);
      float[] img = new float[MnistDigits.PIXELS];
      for (int i = 0; i < n; i++) {
        split.copyImage(subset[i], img, 0);
        sink.accept(img, i * pairs);
      }
    }
  }
}
