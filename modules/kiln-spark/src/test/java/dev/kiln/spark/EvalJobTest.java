package dev.kiln.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.metrics.FrechetDistance;
import dev.kiln.diffusion.metrics.PrecisionRecall;
import dev.kiln.inference.SampleBatches;
import dev.kiln.runtime.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalJobTest {

  /** The samples of {@code spec} drawn in one JVM, shard after shard, as one tensor. */
  private static Tensor drawnAlone(SampleSpec spec) {
    SampleBatches job = spec.batches();
    float[][] parts = new float[(int) job.batches()][];
    int total = 0;
    long[] shape = null;
    for (int k = 0; k < parts.length; k++) {
      Tensor b = job.draw(k);
      shape = b.shape();
      parts[k] = b.toFloatArray();
      total += parts[k].length;
    }
    float[] all = new float[total];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    shape[0] = spec.count();
    return Tensor.of(all, shape);
  }

  private static SampleSpec spec(Path model, String sampler, int steps, long count, int shard, double guidance)
      throws Exception {
    return SampleSpec.plan(LocalSpark.context(), model, sampler, List.of(), steps, count, 5, null, guidance, shard,
        LocalSpark.CPU);
  }

  @Test
  void fdOfPointsEqualsTheSingleMachineFdToOneInABillion() throws Exception {
    SampleSpec spec = spec(LocalSpark.QUICKSTART, "ddim", 10, 600, 64, 1.0);
    EvalJob.Result r = EvalJob.run(LocalSpark.session(), spec, 3);

    Tensor samples = drawnAlone(spec);
    SampleQuality q = spec.runtime().quality(spec.runtime().generative(spec.model()));
    Tensor reference = q.referenceFeatures(spec.seed(), q.referenceCount(600));
    double fd = FrechetDistance.between(samples, reference);
    PrecisionRecall pr = PrecisionRecall.of(reference, samples);
    assertThat(r.references()).isEqualTo(600);
    assertThat(r.fd()).isPositive().isCloseTo(fd, within(1e-9 * fd));
    assertThat(r.precision()).isEqualTo(pr.precision());
    assertThat(r.recall()).isEqualTo(pr.recall());
  }

  @Test
  void scoresAreTheSameForAnyNumberOfPartitions() throws Exception {
    SampleSpec spec = spec(LocalSpark.QUICKSTART, "ddim", 5, 400, 50, 1.0);
    EvalJob.Result one = EvalJob.run(LocalSpark.session(), spec, 1);
    EvalJob.Result four = EvalJob.run(LocalSpark.session(), spec, 4);
    assertThat(List.of(four.fd(), four.precision(), four.recall()))
        .isEqualTo(List.of(one.fd(), one.precision(), one.recall()));
  }

  @Test
  void digitScoresEqualKilnEvalsOnTheClassifierFeatures() throws Exception {
    SampleSpec spec = spec(LocalSpark.MNIST_UNET, "dpmpp-2m", 3, 48, 16, 2.0);
    assertThat(spec.evaluations()).isEqualTo(6);
    EvalJob.Result r = EvalJob.run(LocalSpark.session(), spec, 2);

    Tensor samples = drawnAlone(spec);
    SampleQuality q = spec.runtime().quality(spec.runtime().generative(spec.model()));
    Map<String, Double> kiln = q.measure(samples, spec.batches().labels(0, 48), spec.seed());
    assertThat(r.fd()).isPositive().isCloseTo(kiln.get("fd"), within(1e-9 * kiln.get("fd")));
    assertThat(r.precision()).isEqualTo(kiln.get("precision"));
    assertThat(r.recall()).isEqualTo(kiln.get("recall"));
  }
}
