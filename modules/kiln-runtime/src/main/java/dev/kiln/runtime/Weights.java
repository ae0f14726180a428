package dev.kiln.runtime;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameter values of a graph, by parameter name, in declaration order. Each parameter draws from
 * its own generator seeded by (seed, name), so adding a layer does not change the others' initial
 * values.
 */
public final class Weights {

  private final Map<String, Tensor> values;

  private Weights(Map<String, Tensor> values) {
    this.values = values;
  }

  /**
   * Samples every parameter (and buffer) of {@code graph} with its declared {@link dev.kiln.graph.Init},
   * then applies the graph's init hooks.
   */
  public static Weights initialize(Graph graph, long seed) {
    Map<String, double[]> values = new LinkedHashMap<>();
    for (Value p : graph.parameters()) {
      int n = (int) Tensor.count(p.shape().sizes());
      values.put(p.name(), p.init().sample(n, p.fans(), Seeds.rng(seed, "init", p.name().hashCode())));
    }
    graph.initHooks().forEach(h -> h.apply(values));
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Value p : graph.parameters()) {
      m.put(p.name(), Tensor.of(p.dtype(), values.get(p.name()), p.shape().sizes()));
    }
    return new Weights(m);
  }

  /** Wraps existing tensors (kept, not copied). */
  public static Weights of(Map<String, Tensor> tensors) {
    return new Weights(new LinkedHashMap<>(tensors));
  }

  public Tensor get(String name) {
    Tensor t = values.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no weight named `" + name + "`; have " + values.keySet());
    }
    return t;
  }

  public Map<String, Tensor> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /** The values as ONNX tensors, for {@link dev.kiln.graph.onnx.ModelWriter#weights}. */
  public Map<String, TensorProto> toProtos() {
    Map<String, TensorProto> m = new LinkedHashMap<>();
    values.forEach((k, v) -> m.put(k, v.toProto()));
    return m;
  }

  /** A deep copy. */
  public Weights copy() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    values.forEach((k, v) -> m.put(k, v.copy()));
    return new Weights(m);
  }

  /** Whether every tensor is bit-identical to the other's. */
  public boolean contentEquals(Weights other) {
    if (!values.keySet().equals(other.values.keySet())) {
      return false;
    }
    return values.entrySet().stream().allMatch(e -> e.getValue().contentEquals(other.values.get(e.getKey())));
  }
}
