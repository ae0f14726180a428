package dev.kiln.autodiff;

import dev.kiln.graph.Graph;
import dev.kiln.graph.GraphException;
import dev.kiln.graph.Node;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation of a {@link Graph}. {@link #gradients} walks the nodes between the
 * chosen values and the loss in reverse order, asks each operator's {@link GradientRule} for the
 * gradients of its inputs, sums contributions where a value fans out, and appends the resulting
 * nodes (standard ONNX operators) to the same graph under the scope {@code grad}.
 *
 * <p>Values from {@link Graph#stopGradient} and integer and boolean values carry no gradient, so
 * operators with such outputs (Shape, Equal, ArgMax) are never reached. Reaching an operator marked
 * not differentiable with a float output that needs a gradient is an error naming the node.
 */
public final class Autodiff {

  private Autodiff() {}

  /** d(loss)/d(v) for each {@code v} in {@code wrt}, using Kiln's standard rules; {@code loss} must be a scalar. */
  public static Map<Value, Value> gradients(Value loss, Collection<Value> wrt) {
    return gradients(loss, wrt, GradientRegistry.standard());
  }

  /** d(loss)/d(v) with the given rules. */
  public static Map<Value, Value> gradients(Value loss, Collection<Value> wrt, GradientRegistry rules) {
    if (loss.rank() != 0) {
      throw new GraphException("loss `" + loss.name() + "` must be a scalar, got shape " + loss.shape()
          + "; reduce it first or use vjp with an explicit seed");
    }
    Graph g = loss.graph();
    return vjp(Map.of(loss, g.scalarLike(loss, 1.0)), wrt, rules);
  }

  /**
   * Vector-Jacobian product: the gradients of {@code Σ_k ⟨seed_k, output_k⟩} with respect to
   * {@code wrt}. Values that do not influence the outputs get zeros.
   */
  public static Map<Value, Value> vjp(Map<Value, Value> seeds, Collection<Value> wrt, GradientRegistry rules) {
    if (seeds.isEmpty()) {
      throw new GraphException("vjp needs at least one output seed");
    }
    Graph g = seeds.keySet().iterator().next().graph();
    for (Value w : wrt) {
      if (!w.dtype().isFloating()) {
        throw new GraphException("cannot differentiate with respect to `" + w.name() + "` of type " + w.type());
      }
    }
    Set<Value> active = activeValues(g, wrt);
    Map<Value, List<Value>> contributions = new HashMap<>();
    seeds.forEach((out, seed) -> contributions.computeIfAbsent(out, k -> new ArrayList<>()).add(seed));
    try (var scope = g.scope("grad")) {
      List<Node> nodes = g.nodes();
      for (int i = nodes.size() - 1; i >= 0; i--) {
        Node n = nodes.get(i);
        backwardThrough(g, n, active, contributions, rules);
      }
      Map<Value, Value> result = new LinkedHashMap<>();
      for (Value w : wrt) {
        List<Value> parts = contributions.get(w);
        result.put(w, parts == null ? g.zerosLike(w) : sum(g, parts));
      }
      return result;
    }
  }

  private static void backwardThrough(Graph g, Node n, Set<Value> active, Map<Value, List<Value>> contributions,
      GradientRegistry rules) {
    List<Value> outGrads = new ArrayList<>();
    boolean anyGrad = false;
    for (Value out : n.outputs()) {
      List<Value> parts = contributions.get(out);
      Value grad = parts == null ? null : sum(g, parts);
      outGrads.add(grad);
      anyGrad |= grad != null;
    }
    boolean[] needs = new boolean[n.inputs().size()];
    boolean anyNeeds = false;
    for (int k = 0; k < needs.length; k++) {
      needs[k] = n.input(k) != null && active.contains(n.input(k));
      anyNeeds |= needs[k];
    }
    if (!anyGrad || !anyNeeds || g.isGradientStopped(n.output(0))) {
      return;
    }
    String op = n.qualifiedOpType();
    if (rules.isNonDifferentiable(op)) {
      throw n.error("operator " + op + " is not differentiable (" + rules.nonDifferentiableReason(op)
          + ") but a gradient must flow through it; cut the flow with Graph.stopGradient");
    }
    GradientRule rule = rules.rule(op);
    if (rule == null) {
      throw n.error("no gradient rule for operator " + op + "; register one with GradientRegistry.with(\"" + op
          + "\", rule)");
    }
    List<Value> inGrads = rule.backward(new GradContext(g, n, outGrads, needs));
    for (int k = 0; k < needs.length; k++) {
      Value gk = k < inGrads.size() ? inGrads.get(k) : null;
      if (!needs[k] || gk == null) {
        continue;
      }
      checkShape(n, k, gk);
      contributions.computeIfAbsent(n.input(k), key -> new ArrayList<>()).add(gk);
    }
  }

  /** Values whose gradient is needed: those that depend on {@code wrt} through differentiable flow. */
  private static Set<Value> activeValues(Graph g, Collection<Value> wrt) {
    Set<Value> active = new HashSet<>(wrt);
    for (Node n : g.nodes()) {
      boolean fed = false;
      for (Value in : n.inputs()) {
        fed |= in != null && active.contains(in);
      }
      if (!fed) {
        continue;
      }
      for (Value out : n.outputs()) {
        if (out.dtype().isFloating() && !g.isGradientStopped(out)) {
          active.add(out);
        }
      }
    }
    return active;
  }

  private static void checkShape(Node n, int k, Value grad) {
    Shape want = n.input(k).shape();
    Shape got = grad.shape();
    boolean ok = want.rank() == got.rank() && grad.dtype() == n.input(k).dtype();
    for (int i = 0; ok && i < want.rank(); i++) {
      ok = !want.dim(i).isStatic() || !got.dim(i).isStatic() || want.dim(i).equals(got.dim(i));
    }
    if (!ok) {
      throw n.error("gradient rule returned " + grad.type() + " for input " + k + " of type "
          + n.input(k).type());
    }
  }

  private static Value sum(Graph g, List<Value> parts) {
    Value s = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      s = g.add(s, parts.get(i));
    }
    if (parts.size() > 1) {
      parts.clear();
      parts.add(s);
    }
    return s;
  }
}
