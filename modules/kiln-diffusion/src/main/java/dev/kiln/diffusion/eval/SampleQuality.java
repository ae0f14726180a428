package dev.kiln.diffusion.eval;

import dev.kiln.data.MnistDigits;
import dev.kiln.diffusion.metrics.FeatureMoments;
import dev.kiln.diffusion.metrics.FrechetDistance;
import dev.kiln.diffusion.metrics.KnnManifold;
import dev.kiln.diffusion.metrics.Mmd;
import dev.kiln.diffusion.metrics.PrecisionRecall;
import dev.kiln.diffusion.metrics.SampleReservoir;
import dev.kiln.diffusion.metrics.SlicedWasserstein;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.vision.DigitClassifier;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sample quality against held-out data: for 2-D toy data the sliced Wasserstein distance and MMD²;
 * for digits the Fréchet distance on the zoo digit classifier's features, k-NN precision/recall on
 * those features, and (for class-conditional samples) how often the classifier agrees with the label
 * the samples were drawn for. {@link #measure} takes every sample at once; {@link #stream} takes them batch by
 * batch in bounded memory.
 */
public final class SampleQuality implements AutoCloseable {

  private final DiffusionTask task;
  private final OrtBackend backend;
  private DigitClassifier classifier;

  public SampleQuality(DiffusionTask task, OrtBackend backend) {
    this.task = task;
    this.backend = backend;
  }

  /**
   * Metrics of {@code samples [n, ...]} (in the data's scale) against {@code n} held-out examples.
   *
   * @param labels the classes the samples were drawn for, or null
   */
  public Map<String, Double> measure(Tensor samples, long[] labels, long seed) {
    int n = (int) samples.dim(0);
    Map<String, Double> m = new LinkedHashMap<>();
    if (task.sampleShape().length == 1) {
      Tensor ref = task.referenceSamples(seed, n, true);
      m.put("swd", SlicedWasserstein.distance(samples, ref, seed));
      m.put("mmd2", Mmd.squared(samples, ref, seed));
      return m;
    }
    Tensor shown = clipped(samples);
    Tensor fs = classifier().features(shown);
    Tensor fr = referenceFeatures(seed, referenceCount(n));
    m.put("fd", FrechetDistance.between(fs, fr));
    PrecisionRecall pr = PrecisionRecall.of(fr, fs);
    m.put("precision", pr.precision());
    m.put("recall", pr.recall());
    if (labels != null) {
      long[] predicted = classifier().predict(shown);
      int agree = 0;
      for (int i = 0; i < n; i++) {
        agree += predicted[i] == labels[i] ? 1 : 0;
      }
      m.put("classifier_accuracy", (double) agree / n);
    }
    return m;
  }

  /** The most samples a {@link #stream streamed} measurement keeps for the metrics that need a set of samples. */
  public static final int RESERVOIR = 10_000;

  /**
   * A measurement of {@code count} samples taken batch by batch, with a reservoir of {@value #RESERVOIR}
   * samples (see {@link Streaming}).
   */
  public Streaming stream(long count, long seed) {
    return stream(count, seed, RESERVOIR);
  }

  /** {@link #stream(long, long)} with a reservoir of {@code reservoir} samples. */
  public Streaming stream(long count, long seed, int reservoir) {
    return new Streaming(count, seed, reservoir);
  }

  /**
   * The metrics of {@link #measure} for samples handed over batch by batch, in memory that does not grow with
   * the count: what a metric needs of every sample is kept as a summary that adds up, and what needs a set of
   * samples is measured on a seeded {@link SampleReservoir} (a uniform sample without replacement whose choice
   * depends only on the seed and the samples' indices).
   *
   * <ul>
   *   <li>Digits: the Fréchet distance from the {@link FeatureMoments} of all samples' features (equal to
   *       {@link #measure}'s up to the order of summation), precision and classifier accuracy counted over all
   *       samples (exactly {@link #measure}'s), recall with the reservoir's samples as the generated manifold.
   *   <li>2-D data: sliced Wasserstein distance and MMD² of the reservoir's samples against as many held-out
   *       points.
   * </ul>
   *
   * With at most {@code reservoir} samples the reservoir holds them all, in order, and every metric is
   * {@link #measure}'s on the same samples (the Fréchet distance up to rounding). The results do not depend on
   * how the samples are cut into batches.
   */
  public final class Streaming {
    private final long count;
    private final long seed;
    private final SampleReservoir reservoir;
    private final boolean points;
    private final double[][] reference;
    private final KnnManifold referenceBalls;
    private FeatureMoments moments;
    private long covered;
    private long agree;
    private long labelled;
    private long seen;
    private long batches;

    private Streaming(long count, long seed, int reservoirSize) {
      if (count < 1) {
        throw new IllegalArgumentException("sample count must be at least 1, got " + count);
      }
      this.count = count;
      this.seed = seed;
      this.reservoir = new SampleReservoir(reservoirSize, Seeds.mix(seed, "eval-reservoir"));
      this.points = task.sampleShape().length == 1;
      if (points) {
        reference = null;
        referenceBalls = null;
      } else {
        reference = rows(referenceFeatures(seed, referenceCount(count)));
        referenceBalls = KnnManifold.of(reference, PrecisionRecall.DEFAULT_K);
        moments = FeatureMoments.empty(reference[0].length);
      }
    }

    /**
     * Takes the next {@code samples [b, ...]} (in the data's scale) of the stream.
     *
     * @param labels the classes they were drawn for ({@code [b]}), or null
     */
    public void add(Tensor samples, long[] labels) {
      int b = (int) samples.dim(0);
      if (seen + b > count) {
        throw new IllegalArgumentException("a measurement of " + count + " samples was handed " + (seen + b));
      }
      if (labels != null && labels.length != b) {
        throw new IllegalArgumentException(b + " samples and " + labels.length + " labels");
      }
      if (points) {
        reservoir.addAll(seen, rows(samples));
      } else {
        Tensor shown = clipped(samples);
        double[][] f = rows(classifier().features(shown));
        moments = moments.plus(FeatureMoments.of(f));
        covered += referenceBalls.count(f);
        reservoir.addAll(seen, f);
        if (labels != null) {
          long[] predicted = classifier().predict(shown);
          for (int i = 0; i < b; i++) {
            agree += predicted[i] == labels[i] ? 1 : 0;
          }
          labelled += b;
        }
      }
      seen += b;
      batches++;
    }

    /** The metrics, once all {@code count} samples have been added. */
    public Map<String, Double> result() {
      if (seen != count) {
        throw new IllegalStateException("a measurement of " + count + " samples has been handed " + seen);
      }
      double[][] kept = reservoir.rows();
      Map<String, Double> m = new LinkedHashMap<>();
      if (points) {
        double[][] ref = rows(task.referenceSamples(seed, kept.length, true));
        m.put("swd", SlicedWasserstein.distance(kept, ref, seed));
        m.put("mmd2", Mmd.squared(kept, ref, seed));
        return m;
      }
      m.put("fd", FrechetDistance.between(moments.gaussian(), FeatureMoments.of(reference).gaussian()));
      m.put("precision", (double) covered / count);
      m.put("recall", (double) KnnManifold.of(kept, PrecisionRecall.DEFAULT_K).count(reference) / reference.length);
      if (labelled > 0) {
        if (labelled != count) {
          throw new IllegalStateException(labelled + " of " + count + " samples came with labels");
        }
        m.put("classifier_accuracy", (double) agree / count);
      }
      return m;
    }

    /** What was measured on which samples, as one line. */
    public String describe() {
      String kept = reservoir.size() + " of " + seen + " samples (a seeded reservoir of at most "
          + reservoir.capacity() + ")";
      return points
          ? String.format(Locale.ROOT, "swd and mmd2 on %s against as many held-out points", kept)
          : String.format(Locale.ROOT, "fd, precision%s over all %d samples against %d held-out digits; recall "
              + "on %s", labelled > 0 ? " and classifier_accuracy" : "", seen, reference.length, kept);
    }

    /** Batches added so far. */
    public long batches() {
      return batches;
    }

    /** Samples the reservoir holds now. */
    public int kept() {
      return reservoir.size();
    }
  }

  private static double[][] rows(Tensor t) {
    int n = (int) t.dim(0);
    int d = t.size() / Math.max(n, 1);
    double[] flat = t.toDoubleArray();
    double[][] rows = new double[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, rows[i], 0, d);
    }
    return rows;
  }

  /**
   * The rows the Fréchet distance and precision/recall are measured on, {@code [n, d]}: for images the zoo
   * digit classifier's features of the samples clipped to [-1, 1] (as {@link #measure} computes them); for
   * 2-D data the points themselves.
   */
  public Tensor features(Tensor samples) {
    return task.sampleShape().length == 1 ? samples : classifier().features(clipped(samples));
  }

  /** The features of {@code n} held-out examples drawn with {@code seed} (see {@link #referenceCount}). */
  public Tensor referenceFeatures(long seed, int n) {
    Tensor ref = task.referenceSamples(seed, n, true);
    return task.sampleShape().length == 1 ? ref : classifier().features(ref);
  }

  /**
   * How many held-out examples {@code n} samples are measured against: as many as there are samples, up to
   * the held-out set of digits or {@value #MAX_REFERENCE} points of 2-D data.
   */
  public int referenceCount(long n) {
    int cap = task.sampleShape().length == 1 ? MAX_REFERENCE : MnistDigits.load().test().size();
    return (int) Math.min(n, cap);
  }

  /** The most held-out 2-D points {@link #referenceCount} measures against. */
  public static final int MAX_REFERENCE = 10_000;

  private synchronized DigitClassifier classifier() {
    if (classifier == null) {
      classifier = DigitClassifier.load(backend);
    }
    return classifier;
  }

  /** Samples clipped to the data range [-1, 1], as they would be shown (a copy). */
  public static Tensor clipped(Tensor samples) {
    Tensor c = samples.copy();
    for (int i = 0; i < c.size(); i++) {
      c.set(i, Math.max(-1, Math.min(1, c.get(i))));
    }
    return c;
  }

  @Override
  public void close() {
    if (classifier != null) {
      classifier.close();
    }
  }
}
