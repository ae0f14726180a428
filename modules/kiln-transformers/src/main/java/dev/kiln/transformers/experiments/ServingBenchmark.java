package dev.kiln.transformers.experiments;

import dev.kiln.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Wall time per example of serving paths, each fed the same examples one at a time (batch 1) or in
 * batches. Paths are timed in interleaved rounds after a warm-up, and each example's time is the
 * median over rounds, so a burst of load from other processes on a shared machine hits one round of
 * one path rather than a whole path.
 */
final class ServingBenchmark {

  /**
   * One path to time.
   *
   * @param name how tables name it
   * @param model inputs → outputs (logits, and steps for adaptive depth)
   */
  record Path(String name, Function<Map<String, Tensor>, Map<String, Tensor>> model) {}

  /**
   * Timings of one path.
   *
   * @param name the path
   * @param micros median wall time per call, per input, in µs
   * @param steps layers used per example of each input (a fixed-depth path reports its depth)
   */
  record Timing(String name, double[] micros, double[][] steps) {

    double meanMicros() {
      return Arrays.stream(micros).average().orElse(Double.NaN);
    }
  }

  private ServingBenchmark() {}

  /**
   * Times every path on every input, {@code rounds} times after {@code warmup} untimed calls.
   *
   * @param fixedDepth the depth reported for paths that output no {@code steps}
   */
  static List<Timing> run(List<Path> paths, List<Map<String, Tensor>> inputs, int rounds, int warmup,
      int fixedDepth) {
    for (Path p : paths) {
      for (int i = 0; i < warmup; i++) {
        p.model().apply(inputs.get(i % inputs.size()));
      }
    }
    double[][][] times = new double[paths.size()][inputs.size()][rounds];
    double[][][] steps = new double[paths.size()][inputs.size()][];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < paths.size(); k++) {
        for (int i = 0; i < inputs.size(); i++) {
          long t0 = System.nanoTime();
          Map<String, Tensor> out = paths.get(k).model().apply(inputs.get(i));
          times[k][i][r] = (System.nanoTime() - t0) / 1e3;
          Tensor s = out.get("steps");
          int n = (int) out.get("logits").dim(0);
          double[] st = new double[n];
          for (int j = 0; j < n; j++) {
            st[j] = s == null ? fixedDepth : s.get(j);
          }
          steps[k][i] = st;
        }
      }
    }
    List<Timing> result = new ArrayList<>();
    for (int k = 0; k < paths.size(); k++) {
      double[] micros = new double[inputs.size()];
      for (int i = 0; i < inputs.size(); i++) {
        double[] t = times[k][i].clone();
        Arrays.sort(t);
        micros[i] = t[t.length / 2];
      }
      result.add(new Timing(paths.get(k).name(), micros, steps[k]));
    }
    return result;
  }
}
