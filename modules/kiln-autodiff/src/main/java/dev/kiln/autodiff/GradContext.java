package dev.kiln.autodiff;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Node;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.TensorProtos;
import java.util.ArrayList;
import java.util.List;

/** What a {@link GradientRule} sees: the node, its inputs and outputs, and the outputs' gradients. */
public final class GradContext {

  private final Graph graph;
  private final Node node;
  private final List<Value> outputGrads;
  private final boolean[] needs;

  GradContext(Graph graph, Node node, List<Value> outputGrads, boolean[] needs) {
    this.graph = graph;
    this.node = node;
    this.outputGrads = outputGrads;
    this.needs = needs;
  }

  /** The graph to add gradient nodes to. */
  public Graph g() {
    return graph;
  }

  public Node node() {
    return node;
  }

  /** Forward input {@code i}. */
  public Value in(int i) {
    return node.input(i);
  }

  /** Forward output {@code i}. */
  public Value out(int i) {
    return node.output(i);
  }

  /** Gradient of the first output; never null. */
  public Value dy() {
    return gradOrZeros(0);
  }

  /** Gradient of output {@code i}, or null if that output does not reach the loss. */
  public Value grad(int i) {
    return outputGrads.get(i);
  }

  /** Gradient of output {@code i}, or zeros shaped like it. */
  public Value gradOrZeros(int i) {
    Value gr = outputGrads.get(i);
    return gr != null ? gr : graph.zerosLike(out(i));
  }

  /** Whether input {@code i} needs a gradient (rules may skip work for inputs that do not). */
  public boolean needs(int i) {
    return i < needs.length && needs[i];
  }

  public long attrInt(String key, long fallback) {
    return node.attrInt(key, fallback);
  }

  public float attrFloat(String key, float fallback) {
    return node.attrFloat(key, fallback);
  }

  public long[] attrInts(String key) {
    return node.attrInts(key);
  }

  /** The int64 data of constant input {@code i}; throws if it is not a constant. */
  public long[] constantLongs(int i) {
    Value v = in(i);
    if (v == null || v.constantValue() == null) {
      throw node.error("gradient needs input " + i + " to be a constant");
    }
    return TensorProtos.toLongs(v.constantValue());
  }

  /** A rule-level error naming the node. */
  public RuntimeException error(String message) {
    return node.error("gradient: " + message);
  }

  /**
   * Sums {@code grad} over the axes on which {@code target} was broadcast, so the result has
   * {@code target}'s shape.
   */
  public Value unbroadcast(Value grad, Value target) {
    return unbroadcast(graph, grad, target.shape());
  }

  static Value unbroadcast(Graph g, Value grad, Shape target) {
    Shape gs = grad.shape();
    if (gs.equals(target)) {
      return grad;
    }
    Value r = grad;
    int lead = gs.rank() - target.rank();
    if (lead > 0) {
      long[] axes = new long[lead];
      for (int i = 0; i < lead; i++) {
        axes[i] = i;
      }
      r = g.reduceSum(r, false, axes);
    }
    List<Long> axes = new ArrayList<>();
    for (int i = 0; i < target.rank(); i++) {
      if (target.dim(i).is(1) && !r.shape().dim(i).is(1)) {
        axes.add((long) i);
      }
    }
    if (!axes.isEmpty()) {
      r = g.reduceSum(r, true, axes.stream().mapToLong(Long::longValue).toArray());
    }
    return r;
  }

  /** {@code mask} (bool) as 0/1 in the type of {@code like}. */
  public Value asFloat(Value mask, Value like) {
    return graph.cast(mask, like.dtype());
  }

  /** A scalar of the forward input's float type. */
  public Value scalar(double v) {
    DType t = in(0).dtype().isFloating() ? in(0).dtype() : graph.floatType();
    return graph.scalar(t, v);
  }
}
