package dev.kiln.experiments.agm;

import dev.kiln.diffusion.metrics.FrechetDistance;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.metrics.SlicedWasserstein;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.vision.DigitClassifier;
import java.util.HashMap;
import java.util.Map;

/**
 * The headline metric alone, as {@code SampleQuality} computes it (sliced Wasserstein distance for
 * points, Fréchet distance on the zoo digit classifier's features for digits, samples clamped to
 * [−1, 1]), with the reference set and its features cached per seed. Used where many scores are
 * needed and the secondary metrics are not: the t_hop sweeps and the early-prediction curves.
 */
final class QuickScore implements AutoCloseable {

  private final DiffusionTask data;
  private final OrtBackend backend;
  private final Map<Long, Tensor> references = new HashMap<>();
  private DigitClassifier classifier;

  QuickScore(DiffusionTask data, OrtBackend backend) {
    this.data = data;
    this.backend = backend;
  }

  double score(Tensor samples, long seed) {
    int n = (int) samples.dim(0);
    if (data.sampleShape().length == 1) {
      Tensor ref = references.computeIfAbsent(seed, s -> data.referenceSamples(s, n, true));
      return SlicedWasserstein.distance(samples, ref, seed);
    }
    if (classifier == null) {
      classifier = DigitClassifier.load(backend);
    }
    Tensor ref = references.computeIfAbsent(seed, s -> classifier.features(data.referenceSamples(s, n, true)));
    return FrechetDistance.between(classifier.features(SampleQuality.clipped(samples)), ref);
  }


  @Override
  public void close() {
    if (classifier != null) {
      classifier.close();
    }
  }
}
