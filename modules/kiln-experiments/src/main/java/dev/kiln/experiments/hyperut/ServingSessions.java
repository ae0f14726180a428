package dev.kiln.experiments.hyperut;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.transformers.model.UniversalTransformer;
import dev.kiln.transformers.serving.AdaptiveDepthRunner;
import dev.kiln.transformers.serving.LoopModel;
import dev.kiln.transformers.serving.ServingGraphs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ways a trained model can be served, opened once for timing: for adaptive depth the Java step
 * loop, the ONNX Loop model and the unrolled graph (always T_max steps); for fixed depth the
 * exported forward graph. Timing uses one intra-op thread: at batch 1 the operators are too small to
 * split, and on a busy machine a second spinning thread turns into scheduler stalls of milliseconds.
 */
final class ServingSessions implements AutoCloseable {

  static final String JAVA_LOOP = "java step loop";
  static final String ONNX_LOOP = "ONNX Loop";
  static final String UNROLLED = "unrolled (T_max)";
  static final String FIXED = "exported graph";

  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<ServingBenchmark.Path> paths = new ArrayList<>();

  ServingSessions(OrtBackend backend, Architecture arch, Weights weights) {
    Session forward = backend.load(ServingGraphs.export(ServingGraphs.forward(arch), weights, backend, Map.of()));
    open.add(forward);
    if (arch instanceof UniversalTransformer ut) {
      AdaptiveDepthRunner runner = AdaptiveDepthRunner.of(backend, ut, weights);
      open.add(runner);
      Session loop = backend.load(LoopModel.build(ut, weights, backend));
      open.add(loop);
      paths.add(new ServingBenchmark.Path(JAVA_LOOP, runner::apply));
      paths.add(new ServingBenchmark.Path(ONNX_LOOP, loop::run));
      paths.add(new ServingBenchmark.Path(UNROLLED, forward::run));
    } else {
      paths.add(new ServingBenchmark.Path(FIXED, forward::run));
    }
  }

  List<ServingBenchmark.Path> paths() {
    return paths;
  }

  /**
   * A trained model to serve.
   *
   * @param id how results name it
   * @param architecture the architecture
   * @param weights trained weights
   */
  record Served(String id, Architecture architecture, Weights weights) {}

  /**
   * Times every serving path of every model in the same interleaved rounds (so load from other
   * processes falls on all of them alike), on one-thread sessions; returns each model's timings in
   * path order.
   */
  static Map<String, List<ServingBenchmark.Timing>> timeAll(OrtBackend backend, List<Served> models,
      List<Map<String, Tensor>> inputs, int rounds, int warmup, int fixedDepth) throws Exception {
    OrtBackend oneThread = new OrtBackend(backend.options().withThreads(1));
    List<ServingSessions> open = new ArrayList<>();
    try {
      List<ServingBenchmark.Path> all = new ArrayList<>();
      List<String> owner = new ArrayList<>();
      for (Served m : models) {
        ServingSessions s = new ServingSessions(oneThread, m.architecture(), m.weights());
        open.add(s);
        for (ServingBenchmark.Path p : s.paths()) {
          all.add(p);
          owner.add(m.id());
        }
      }
      List<ServingBenchmark.Timing> timings = ServingBenchmark.run(all, inputs, rounds, warmup, fixedDepth);
      Map<String, List<ServingBenchmark.Timing>> byModel = new LinkedHashMap<>();
      for (int k = 0; k < timings.size(); k++) {
        byModel.computeIfAbsent(owner.get(k), x -> new ArrayList<>()).add(timings.get(k));
      }
      return byModel;
    } finally {
      for (ServingSessions s : open) {
        s.close();
      }
    }
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }
}
