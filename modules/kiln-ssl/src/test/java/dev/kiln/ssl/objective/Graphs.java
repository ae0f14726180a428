package dev.kiln.ssl.objective;

import dev.kiln.graph.Graph;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import java.util.Map;

/** Runs small test graphs on one CPU thread. */
final class Graphs {

  static final OrtBackend CPU = new OrtBackend(new BackendOptions(Device.CPU, 1, 1,
      BackendOptions.Optimization.BASIC, 0));

  private Graphs() {}

  static Map<String, Tensor> run(Graph g, Map<String, Tensor> feeds) {
    try (Session s = CPU.load(ModelWriter.of(g).toBytes())) {
      return s.run(feeds);
    }
  }
}
