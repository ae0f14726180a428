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
    int refCount = Math.min(n, MnistDigits.load().test().size());
    Tensor ref = task.referenceSamples(seed, refCount, true);
    if (classifier == null) {
      classifier = DigitClassifier.load(backend);
    }
    Tensor shown = clipped(samples);
    Tensor fs = classifier.features(shown);
    Tensor fr = classifier.features(ref);
    m.put("fd", FrechetDistance.between(fs, fr));
    PrecisionRecall pr = PrecisionRecall.of(fr, fs);
    m.put("precision", pr.precision());
    m.put("recall", pr.recall());
    if (labels != null) {
      long[] predicted = classifier.predict(shown);
      int agree = 0;
      for (int i = 0; i < n; i++) {
        agree += predicted[i] == labels[i] ? 1 : 0;
      }
      m.put("classifier_accuracy", (double) agree / n);
    }
    return m;
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
