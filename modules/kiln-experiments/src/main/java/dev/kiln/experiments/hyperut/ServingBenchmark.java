package dev.kiln.experiments.hyperut;

import dev.kiln.runtime.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Time per call of serving paths, each fed the same inputs (one example, or a batch). Paths are
 * timed in interleaved rounds after a warm-up, and each input's time is the median over rounds, so
 * a burst of load from other processes on a shared machine hits one round of one path rather than a
 * whole path. Besides wall time it records the CPU time of the calling thread, which on sessions with
 * one intra-op thread (ONNX Runtime then runs every kernel on the caller) is the compute a call costs,
 * whatever else the machine is doing.
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
   * @param cpuMicros median CPU time of the calling thread per call, per input, in µs
   * @param steps layers used per example of each input (a fixed-depth path reports its depth)
   */
  record Timing(String name, double[] micros, double[] cpuMicros, double[][] steps) {

    double meanMicros() {
      return Arrays.stream(micros).average().orElse(Double.NaN);
    }

    double meanCpuMicros() {
      return Arrays.stream(cpuMicros).average().orElse(Double.NaN);
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
    if (inputs.isEmpty() || rounds < 1) {
      throw new IllegalArgumentException("serving benchmark needs inputs and rounds >= 1, got " + inputs.size()
          + " inputs and " + rounds + " rounds");
    }
    for (Path p : paths) {
      for (int i = 0; i < warmup; i++) {
        p.model().apply(inputs.get(i % inputs.size()));
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[][][] times = new double[paths.size()][inputs.size()][rounds];
    double[][][] cpu = new double[paths.size()][inputs.size()][rounds];
    double[][][] steps = new double[paths.size()][inputs.size()][];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < paths.size(); k++) {
        for (int i = 0; i < inputs.size(); i++) {
          long c0 = threads.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          Map<String, Tensor> out = paths.get(k).model().apply(inputs.get(i));
          times[k][i][r] = (System.nanoTime() - t0) / 1e3;
          cpu[k][i][r] = (threads.getCurrentThreadCpuTime() - c0) / 1e3;
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
      double[] cpuMicros = new double[inputs.size()];
      for (int i = 0; i < inputs.size(); i++) {
        micros[i] = median(times[k][i]);
        cpuMicros[i] = median(cpu[k][i]);
      }
      result.add(new Timing(paths.get(k).name(), micros, cpuMicros, steps[k]));
    }
    return result;
  }

  private static double median(double[] xs) {
    double[] t = xs.clone();
    Arrays.sort(t);
    return t[t.length / 2];
  }
}
