package dev.kiln.inference;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Node;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds computations that depend only on parameters (and constants) into constants for serving:
 * a reparametrised weight {@code Ŵ = γ/σ(W)·W} becomes one plain initializer, so the exported model
 * contains no power iteration or rescaling. The values are computed by ONNX Runtime from the
 * trained weights, with the same kernels the training graph used.
 */
public final class ParameterFolding {

  private ParameterFolding() {}

  /**
   * The values to fold for a model that computes {@code outputs}: node outputs reached from a
   * parameter through parameter-only nodes and consumed by a node that also reads data.
   */
  public static Map<String, TensorProto> compute(Graph g, List<String> outputs, Weights weights, OrtBackend backend) {
    Set<Value> constLike = new HashSet<>(g.parameters());
    constLike.addAll(g.constants());
    Set<Value> paramDependent = new HashSet<>(g.parameters());
    Set<Node> foldable = new HashSet<>();
    for (Node n : g.nodes()) {
      boolean all = true;
      boolean fromParam = false;
      for (Value in : n.inputs()) {
        if (in != null) {
          all &= constLike.contains(in);
          fromParam |= paramDependent.contains(in);
        }
      }
      if (all && fromParam) {
        foldable.add(n);
        constLike.addAll(n.outputs());
        paramDependent.addAll(n.outputs());
      }
    }
    Set<Value> frontier = new LinkedHashSet<>();
    Set<Node> seen = new HashSet<>();
    List<Value> stack = new ArrayList<>();
    for (Value out : g.outputs()) {
      if (outputs.contains(out.name())) {
        stack.add(out);
      }
    }
    while (!stack.isEmpty()) {
      Value v = stack.remove(stack.size() - 1);
      Node p = v.producer();
      if (p == null) {
        continue;
      }
      if (foldable.contains(p)) {
        frontier.add(v);
        continue;
      }
      if (seen.add(p)) {
        for (Value in : p.inputs()) {
          if (in != null) {
            stack.add(in);
          }
        }
      }
    }
    if (frontier.isEmpty()) {
      return Map.of();
    }
    Map<String, String> outName = new LinkedHashMap<>();
    for (Value v : frontier) {
      outName.put(v.name(), g.output("fold:" + v.name(), v).name());
    }
    byte[] model = ModelWriter.of(g).onlyOutputs(outName.values().toArray(new String[0])).weights(weights.toProtos())
        .toBytes();
    Map<String, TensorProto> result = new LinkedHashMap<>();
    try (Session s = backend.load(model)) {
      Map<String, Tensor> values = s.run(Map.of());
      outName.forEach((value, out) -> result.put(value, values.get(out).toProto()));
    }
    return result;
  }
}
