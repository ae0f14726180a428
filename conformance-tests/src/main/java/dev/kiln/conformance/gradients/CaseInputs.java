package dev.kiln.conformance.gradients;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Declares the inputs of a {@link GradientCase} together with the distribution their test data is
 * drawn from. Float inputs are differentiated; integer inputs are held fixed.
 */
public final class CaseInputs {

  private final Graph graph;
  private final SplittableRandom rng;
  private final Map<String, Tensor> data = new LinkedHashMap<>();
  private final List<Value> differentiable = new ArrayList<>();

  CaseInputs(Graph graph, long seed) {
    this.graph = graph;
    this.rng = new SplittableRandom(seed);
  }

  /** The graph the case builds into (float type is the check's precision). */
  public Graph g() {
    return graph;
  }

  /** A differentiable input with standard-normal data. */
  public Value normal(String name, long... shape) {
    return floating(name, shape, 0, 1, false);
  }

  /** A differentiable input with data in [lo, hi). */
  public Value uniform(String name, double lo, double hi, long... shape) {
    return floating(name, shape, lo, hi, true);
  }

  /** A differentiable input with data in [0.5, 2) (for log, sqrt, division). */
  public Value positive(String name, long... shape) {
    return uniform(name, 0.5, 2.0, shape);
  }

  /** A differentiable input with the given data (points random draws never hit, such as exact zeros). */
  public Value given(String name, double[] values, long... shape) {
    Value v = graph.input(name, graph.floatType(), Shape.of(shape));
    data.put(name, Tensor.of(graph.floatType(), values.clone(), shape));
    differentiable.add(v);
    return v;
  }

  /** A fixed int64 input with values in [0, bound). */
  public Value indices(String name, long bound, long... shape) {
    Value v = graph.input(name, DType.INT64, Shape.of(shape));
    long[] values = new long[(int) Shape.of(shape).size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = rng.nextLong(bound);
    }
    data.put(name, Tensor.ofLongs(values, shape));
    return v;
  }

  /** A fixed int64 input with the given values. */
  public Value fixedIndices(String name, long[] values, long... shape) {
    Value v = graph.input(name, DType.INT64, Shape.of(shape));
    data.put(name, Tensor.ofLongs(values, shape));
    return v;
  }

  /** A fixed (not differentiated) float input with standard-normal data. */
  public Value fixedNormal(String name, long... shape) {
    Value v = graph.input(name, graph.floatType(), Shape.of(shape));
    double[] values = new double[(int) Shape.of(shape).size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = rng.nextGaussian();
    }
    data.put(name, Tensor.of(graph.floatType(), values, shape));
    return v;
  }

  private Value floating(String name, long[] shape, double lo, double hi, boolean uniform) {
    double[] values = new double[(int) Shape.of(shape).size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = uniform ? lo + (hi - lo) * rng.nextDouble() : rng.nextGaussian();
    }
    return given(name, values, shape);
  }

  /** A random tensor for projecting an output to a scalar loss. */
  Tensor projection(long[] shape) {
    double[] values = new double[(int) Shape.of(shape).size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = rng.nextGaussian();
    }
    return Tensor.of(graph.floatType(), values, shape);
  }

  Map<String, Tensor> data() {
    return data;
  }

  List<Value> differentiable() {
    return differentiable;
  }
}
