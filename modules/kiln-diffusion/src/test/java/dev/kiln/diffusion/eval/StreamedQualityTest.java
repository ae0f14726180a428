package dev.kiln.diffusion.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SampleQuality#stream}: the metrics of {@link SampleQuality#measure}, batch by batch. */
class StreamedQualityTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));

  private static DiffusionTask task(String data, boolean labelled) {
    return new DiffusionTask(new DiffusionTaskConfig(data, null, null, labelled, null));
  }

  /** Rows {@code [from, to)} of {@code t [n, ...]}. */
  private static Tensor rows(Tensor t, int from, int to) {
    long[] shape = t.shape().clone();
    int row = (int) (t.size() / shape[0]);
    shape[0] = to - from;
    return Tensor.of(Arrays.copyOfRange(t.toFloatArray(), from * row, to * row), shape);
  }

  private static Map<String, Double> streamed(SampleQuality q, Tensor samples, long[] labels, long seed, int batch,
      int reservoir) {
    int n = (int) samples.dim(0);
    SampleQuality.Streaming s = q.stream(n, seed, reservoir);
    for (int off = 0; off < n; off += batch) {
      int end = Math.min(n, off + batch);
      s.add(rows(samples, off, end), labels == null ? null : Arrays.copyOfRange(labels, off, end));
    }
    assertThat(s.batches()).isEqualTo((n + batch - 1) / batch);
    return s.result();
  }

  /** Points of the task's data, shifted a little so the metrics are not at their floor. */
  private static Tensor points(DiffusionTask task, int n, long seed) {
    float[] v = task.referenceSamples(seed, n, false).toFloatArray();
    for (int i = 0; i < v.length; i++) {
      v[i] += 0.2f;
    }
    return Tensor.of(v, n, 2);
  }

  @Test
  void pointMetricsEqualTheAllInMemoryOnesWhenTheReservoirHoldsEverySample() {
    DiffusionTask task = task("8gaussians", false);
    Tensor samples = points(task, 1000, 21);
    try (SampleQuality q = new SampleQuality(task, CPU)) {
      Map<String, Double> all = q.measure(samples, null, 7);
      assertThat(all.get("swd")).isPositive();
      assertThat(streamed(q, samples, null, 7, 4096, SampleQuality.RESERVOIR)).isEqualTo(all);
      assertThat(streamed(q, samples, null, 7, 128, SampleQuality.RESERVOIR)).isEqualTo(all);
    }
  }

  @Test
  void digitMetricsEqualTheAllInMemoryOnesUpToTheOrderOfSummation() {
    DiffusionTask task = task("mnist", true);
    int n = 300;
    Tensor samples = task.referenceSamples(5, n, false);
    long[] labels = new SplittableRandom(3).longs(n, 0, 10).toArray();
    try (SampleQuality q = new SampleQuality(task, CPU)) {
      Map<String, Double> all = q.measure(samples, labels, 9);
      Map<String, Double> s = streamed(q, samples, labels, 9, 64, SampleQuality.RESERVOIR);
      assertThat(s.keySet()).containsExactlyElementsOf(all.keySet());
      assertThat(s.get("fd")).isPositive().isCloseTo(all.get("fd"), within(1e-9 * all.get("fd")));
      assertThat(s.get("precision")).isEqualTo(all.get("precision"));
      assertThat(s.get("recall")).isEqualTo(all.get("recall"));
      assertThat(s.get("classifier_accuracy")).isEqualTo(all.get("classifier_accuracy"));
    }
  }

  @Test
  void withMoreSamplesThanTheReservoirTheResultDoesNotDependOnTheBatchSize() {
    DiffusionTask task = task("8gaussians", false);
    Tensor samples = points(task, 2000, 22);
    try (SampleQuality q = new SampleQuality(task, CPU)) {
      Map<String, Double> a = streamed(q, samples, null, 7, 33, 150);
      Map<String, Double> b = streamed(q, samples, null, 7, 1024, 150);
      assertThat(a).isEqualTo(b);
      assertThat(streamed(q, samples, null, 8, 1024, 150)).isNotEqualTo(a);
      SampleQuality.Streaming s = q.stream(2000, 7, 150);
      s.add(samples, null);
      assertThat(s.kept()).isEqualTo(150);
      assertThat(s.describe()).contains("150 of 2000 samples (a seeded reservoir of at most 150)");
    }
  }

  @Test
  void aMeasurementRefusesMoreSamplesThanItWasOpenedForAndAResultBeforeAll() {
    DiffusionTask task = task("8gaussians", false);
    Tensor samples = points(task, 100, 23);
    try (SampleQuality q = new SampleQuality(task, CPU)) {
      SampleQuality.Streaming s = q.stream(150, 1);
      s.add(samples, null);
      assertThatThrownBy(s::result).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("150 samples has been handed 100");
      assertThatThrownBy(() -> s.add(samples, null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("was handed 200");
    }
  }
}
