package dev.kiln.transformers.serving;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.inference.ParameterFolding;
import dev.kiln.transformers.model.UniversalTransformer;
import java.util.List;
import java.util.Map;

/**
 * A Universal Transformer cut into the three graphs an adaptive-depth serving loop calls: {@code embed}
 * (model inputs → {@code h [N, T, dim]}), {@code step} (one application of the shared block and the
 * halting unit: {@code h, step → y, p}) and {@code head} (the halting-weighted CLS state {@code o [N, dim]}
 * → {@code logits}). They are built by the same code as the training graph and read the same
 * parameters by name, so the trained weights load unchanged; parameter-only computations (regrouped
 * weight banks) are folded into constants.
 */
public final class ServingGraphs {

  private ServingGraphs() {}

  /** inputs → h [N, T, dim]. */
  public static Graph embed(UniversalTransformer arch) {
    Graph g = new Graph("embed");
    g.output("h", arch.embed(g, arch.declareInputs(g)));
    return g;
  }

  /** h [N, T, dim], step [1] (the 0-based step index, float) → y [N, T, dim], p [N]. */
  public static Graph step(UniversalTransformer arch) {
    Graph g = new Graph("step");
    Value h = g.input("h", Shape.batched("N", arch.embedding().tokens(), arch.dims().dim()));
    Value step = g.input("step", Shape.of(1));
    UniversalTransformer.Output out = arch.declareStep(g).apply(g, h, step);
    g.output("y", out.state());
    g.output("p", out.halting());
    return g;
  }

  /** o [N, dim] → logits [N, classes]. */
  public static Graph head(UniversalTransformer arch) {
    Graph g = new Graph("head");
    Value o = g.input("o", Shape.batched("N", arch.dims().dim()));
    g.output("logits", arch.declareStep(g).head().apply(g, o));
    return g;
  }

  /** The architecture's whole forward graph (for adaptive depth: all T_max steps unrolled), outputs declared. */
  public static Graph forward(Architecture arch) {
    Graph g = new Graph("forward");
    arch.build(g, arch.declareInputs(g)).forEach(g::output);
    return g;
  }

  /** {@code g}'s declared outputs with {@code weights} as initializers and parameter-only nodes folded. */
  public static ModelProto export(Graph g, Weights weights, OrtBackend backend, Map<String, String> metadata) {
    List<String> outs = g.outputs().stream().map(Value::name).toList();
    return ModelWriter.of(g).onlyOutputs(outs.toArray(new String[0])).weights(weights.toProtos())
        .fold(ParameterFolding.compute(g, outs, weights, backend)).metadata(metadata).toProto();
  }
}
