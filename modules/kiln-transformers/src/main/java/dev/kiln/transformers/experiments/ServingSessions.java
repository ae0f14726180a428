package dev.kiln.transformers.experiments;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.transformers.model.UniversalTransformer;
import dev.kiln.transformers.serving.AdaptiveDepthRunner;
import dev.kiln.transformers.serving.LoopModel;
import dev.kiln.transformers.serving.ServingGraphs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ways a trained model can be served, opened once for timing: for adaptive depth the Java step
 * loop, the ONNX Loop model and the unrolled graph (always T_max steps); for fixed depth the
 * exported forward graph.
 */
final class ServingSessions implements AutoCloseable {

  static final String JAVA_LOOP = "java step loop";
  static final String ONNX_LOOP = "ONNX Loop";
  static final String UNROLLED = "unrolled (T_max)";
  static final String FIXED = "exported graph";

  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<ServingBenchmark.Path> paths = new ArrayList<>();

  /**
   * {@code backend} with one intra-op thread: at batch 1 the operators are too small to split, and
   * on a busy machine a second spinning thread turns into scheduler stalls of milliseconds.
   */
  static OrtBackend latencyBackend(OrtBackend backend) {
    return new OrtBackend(backend.options().withThreads(1));
  }

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

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }
}
