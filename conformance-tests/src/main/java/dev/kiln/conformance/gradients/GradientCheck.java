package dev.kiln.conformance.gradients;

import dev.kiln.autodiff.Autodiff;
import dev.kiln.autodiff.GradientRegistry;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Checks the gradients Kiln's autodiff builds for a {@link GradientCase} against central finite
 * differences of the same graph, both run by ONNX Runtime. The case's output is projected to a
 * scalar loss {@code Σ y ⊙ R} with a random {@code R}, so every output element's gradient matters.
 */
public final class GradientCheck {

  /** Step and tolerance for one precision: pass when |analytic − numeric| ≤ abs + rel·max(|a|, |n|). */
  public record Tolerance(double step, double abs, double rel) {

    /** float64: step 1e-6, error ≤ 1e-7 + 1e-5·|g|. */
    public static final Tolerance DOUBLE = new Tolerance(1e-6, 1e-7, 1e-5);

    /** float32: step 1e-2, error ≤ 5e-3 + 1e-2·|g|. */
    public static final Tolerance FLOAT = new Tolerance(1e-2, 5e-3, 1e-2);

    static Tolerance of(DType t) {
      return t == DType.DOUBLE ? DOUBLE : FLOAT;
    }
  }

  /** One checked coordinate. */
  public record Coordinate(String input, int index, double analytic, double numeric, double excess) {
    @Override
    public String toString() {
      return String.format("%s[%d]: autodiff %.8g, finite difference %.8g", input, index, analytic, numeric);
    }
  }

  /** The verdict for one case. */
  public record Result(GradientCase gradientCase, boolean passed, int checked, List<Coordinate> worst) {
    /** A plain-words report of the worst coordinates. */
    public String report() {
      StringBuilder sb = new StringBuilder(gradientCase.name()).append(passed ? ": ok" : ": gradient mismatch")
          .append(" (").append(checked).append(" coordinates)");
      if (!passed) {
        worst.stream().filter(c -> c.excess() > 0).forEach(c -> sb.append("\n  ").append(c));
      }
      return sb.toString();
    }
  }

  private static final int MAX_COORDINATES_PER_INPUT = 40;

  private GradientCheck() {}

  /** Runs one case with the given rules, checking up to 40 coordinates of each differentiated tensor. */
  public static Result run(GradientCase gc, GradientRegistry rules, OrtBackend backend, long seed) {
    return run(gc, rules, backend, seed, MAX_COORDINATES_PER_INPUT);
  }

  /** Runs one case, checking up to {@code coordinatesPerTensor} random coordinates of each tensor. */
  public static Result run(GradientCase gc, GradientRegistry rules, OrtBackend backend, long seed,
      int coordinatesPerTensor) {
    Graph g = new Graph(gc.name().replaceAll("[^A-Za-z0-9]+", "_"), gc.precision());
    CaseInputs inputs = new CaseInputs(g, seed);
    Value y = gc.body().apply(inputs);
    if (!y.shape().isStatic()) {
      throw new IllegalArgumentException(gc.name() + ": output shape must be static, got " + y.shape());
    }
    Value projection = g.input("projection", y.dtype(), y.shape());
    Map<String, Tensor> feeds = new LinkedHashMap<>(inputs.data());
    feeds.put("projection", inputs.projection(y.shape().sizes()));
    // Parameters declared by layers are fed their initial values; trainable ones are checked too.
    feeds.putAll(Weights.initialize(g, seed).asMap());
    List<Value> checked = new ArrayList<>(inputs.differentiable());
    checked.addAll(g.trainableParameters());
    Value loss = g.sumAll(g.mul(y, projection));
    Map<Value, Value> grads = Autodiff.gradients(loss, checked, rules);
    g.output("loss", loss);
    grads.forEach((x, dx) -> g.output("grad_" + x.name(), dx));
    Tolerance tol = Tolerance.of(gc.precision());
    List<Coordinate> coords = new ArrayList<>();
    try (Session s = backend.load(ModelWriter.of(g).toBytes())) {
      feeds.keySet().retainAll(s.inputNames());
      Map<String, Tensor> analytic = s.run(feeds);
      SplittableRandom pick = new SplittableRandom(seed ^ 0x5DEECE66DL);
      for (Value x : checked) {
        Tensor data = feeds.get(x.name());
        if (data == null) {
          continue;
        }
        Tensor grad = analytic.get("grad_" + x.name());
        for (int index : coordinates(data.size(), coordinatesPerTensor, pick)) {
          double orig = data.get(index);
          double h = tol.step() * Math.max(1, Math.abs(orig));
          data.set(index, orig + h);
          double up = lossOf(s, feeds);
          data.set(index, orig - h);
          double down = lossOf(s, feeds);
          data.set(index, orig);
          double numeric = (up - down) / (2 * h);
          double a = grad.get(index);
          double excess = Math.abs(a - numeric) - (tol.abs() + tol.rel() * Math.max(Math.abs(a), Math.abs(numeric)));
          coords.add(new Coordinate(x.name(), index, a, numeric, excess));
        }
      }
    }
    coords.sort(Comparator.comparingDouble(Coordinate::excess).reversed());
    boolean passed = !coords.isEmpty() && coords.get(0).excess() <= 0;
    return new Result(gc, passed, coords.size(), List.copyOf(coords.subList(0, Math.min(5, coords.size()))));
  }

  private static double lossOf(Session s, Map<String, Tensor> feeds) {
    return s.run(feeds, Set.of("loss")).get("loss").get(0);
  }

  private static int[] coordinates(int size, int max, SplittableRandom rng) {
    if (size <= max) {
      int[] all = new int[size];
      for (int i = 0; i < size; i++) {
        all[i] = i;
      }
      return all;
    }
    return rng.ints(0, size).distinct().limit(max).sorted().toArray();
  }
}
