package dev.kiln.experiments.boot;

import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.metrics.PrecisionRecall;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the BOOT study measures for each way of sampling (teacher DDIM at n steps, the one-step BOOT
 * student, the one-step progressive-distillation student), all through exported models in ONNX Runtime:
 * sample quality against held-out data ({@link SampleQuality}, plus k-NN precision/recall on raw points for
 * 2-D data), pairing fidelity {@code RMS(x(ε) − DDIM_ref(ε))} for the same noise ε, and wall time per
 * sample (median of interleaved repeats).
 */
final class DistillationComparison {

  /**
   * One way of drawing samples.
   *
   * @param name row label
   * @param model the exported model it runs
   * @param sampler its sampler
   * @param steps sampler steps
   * @param guidance classifier-free guidance weight for a conditional model (1: plain conditional)
   */
  record Method(String name, GenerativeModel model, Sampler sampler, int steps, double guidance) {

    /** Model evaluations per sample. */
    int nfe() {
      return sampler.evaluations(steps) * (model.numClasses() > 0 && guidance != 1 ? 2 : 1);
    }

    /** {@code count} samples from noise seed {@code seed}; labels cycle through the classes. */
    Tensor sample(int count, long seed) {
      long[] labels = labels(model, count);
      Denoiser d = model.denoiser(labels, guidance);
      return model.sample(sampler, d, count, steps, seed);
    }
  }

  /** Mean and standard deviation over noise seeds of each metric. */
  record Row(String name, int nfe, Map<String, double[]> metrics) {}

  private final DiffusionTask data;
  private final SampleQuality quality;

  DistillationComparison(DiffusionTask data, SampleQuality quality) {
    this.data = data;
    this.quality = quality;
  }

  /** The classes {@code i mod C} for a conditional model, else null. */
  static long[] labels(GenerativeModel model, int count) {
    if (model.numClasses() == 0) {
      return null;
    }
    long[] l = new long[count];
    for (int i = 0; i < count; i++) {
      l[i] = i % model.numClasses();
    }
    return l;
  }

  /**
   * Quality and pairing fidelity of every method over {@code seeds} noise seeds of {@code count} samples;
   * pairing is against {@code reference} from the same seed.
   */
  List<Row> measure(List<Method> methods, Method reference, int count, int seeds) {
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    for (int s = 0; s < seeds; s++) {
      long seed = 1000 + s;
      Tensor ref = reference.sample(count, seed);
      for (Method m : methods) {
        Tensor x = m.sample(count, seed);
        Map<String, Double> q = new LinkedHashMap<>(quality.measure(x, labels(m.model(), count), 77 + s));
        if (x.rank() == 2) {
          PrecisionRecall pr = PrecisionRecall.of(data.referenceSamples(77 + s, count, true), x);
          q.put("precision", pr.precision());
          q.put("recall", pr.recall());
        }
        q.put("pairing_rms", rms(x, ref));
        q.forEach((k, v) -> values.computeIfAbsent(m.name(), n -> new LinkedHashMap<>())
            .computeIfAbsent(k, n -> new ArrayList<>()).add(v));
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Method m : methods) {
      Map<String, double[]> stats = new LinkedHashMap<>();
      values.get(m.name()).forEach((k, v) -> stats.put(k, meanStd(v)));
      rows.add(new Row(m.name(), m.nfe(), stats));
    }
    return rows;
  }

  /**
   * Median wall time per sample, in microseconds, of drawing {@code batch} samples; the methods take
   * turns in each of {@code repeats} rounds (after one untimed round), so load on the machine hits all alike.
   */
  static Map<String, Double> wallTimePerSample(List<Method> methods, int batch, int repeats) {
    Map<String, double[]> times = new LinkedHashMap<>();
    for (Method m : methods) {
      m.sample(batch, 0);
      times.put(m.name(), new double[repeats]);
    }
    for (int r = 0; r < repeats; r++) {
      for (Method m : methods) {
        long t0 = System.nanoTime();
        m.sample(batch, r + 1);
        times.get(m.name())[r] = (System.nanoTime() - t0) / 1e3 / batch;
      }
    }
    Map<String, Double> median = new LinkedHashMap<>();
    times.forEach((k, v) -> {
      double[] sorted = v.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      median.put(k, n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
    });
    return median;
  }

  /** √(mean over elements of (a − b)²). */
  static double rms(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      double d = a.get(i) - b.get(i);
      s += d * d;
    }
    return Math.sqrt(s / a.size());
  }

  private static double[] meanStd(List<Double> v) {
    double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double var = v.size() < 2 ? 0 : v.stream().mapToDouble(d -> (d - m) * (d - m)).sum() / (v.size() - 1);
    return new double[] {m, Math.sqrt(var)};
  }
}
