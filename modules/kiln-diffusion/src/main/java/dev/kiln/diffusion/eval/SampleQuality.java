package dev.kiln.diffusion.eval;

import dev.kiln.data.MnistDigits;
import dev.kiln.diffusion.metrics.FrechetDistance;
import dev.kiln.diffusion.metrics.Mmd;
import dev.kiln.diffusion.metrics.PrecisionRecall;
import dev.kiln.diffusion.metrics.SlicedWasserstein;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.vision.DigitClassifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sample quality against held-out data: for 2-D toy data the sliced Wasserstein distance and MMD²;
 * for digits the Fréchet distance on the zoo digit classifier's features, k-NN precision/recall on
 * those features, and (for class-conditional samples) how often the classifier agrees with the label
 * the samples were drawn for.
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
