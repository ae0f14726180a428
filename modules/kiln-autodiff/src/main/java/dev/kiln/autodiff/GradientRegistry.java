package dev.kiln.autodiff;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One decision per operator type: a gradient rule, or an explicit "not differentiable" entry with
 * the reason (integer, boolean or shape-valued outputs). {@link #standard()} decides every operator
 * in {@link dev.kiln.graph.Graph#operatorTypes()}; {@link #with} extends a copy, which is how a third
 * party replaces or adds a derivative. Keys are {@link dev.kiln.graph.Node#qualifiedOpType()}.
 */
public final class GradientRegistry {

  private final Map<String, GradientRule> rules;
  private final Map<String, String> nonDifferentiable;

  private GradientRegistry(Map<String, GradientRule> rules, Map<String, String> nonDifferentiable) {
    this.rules = rules;
    this.nonDifferentiable = nonDifferentiable;
  }

  private static final GradientRegistry STANDARD = build();

  private static GradientRegistry build() {
    GradientRegistry r = new GradientRegistry(new HashMap<>(), new HashMap<>());
    ElementwiseGradients.register(r);
    LayoutGradients.register(r);
    NnGradients.register(r);
    return new GradientRegistry(Collections.unmodifiableMap(r.rules),
        Collections.unmodifiableMap(r.nonDifferentiable));
  }

  /** Kiln's decisions for every operator its graphs can build. */
  public static GradientRegistry standard() {
    return STANDARD;
  }

  /** A copy of this registry with {@code rule} for {@code opType} (replacing any existing decision). */
  public GradientRegistry with(String opType, GradientRule rule) {
    Map<String, GradientRule> m = new HashMap<>(rules);
    m.put(opType, rule);
    Map<String, String> nd = new HashMap<>(nonDifferentiable);
    nd.remove(opType);
    return new GradientRegistry(Collections.unmodifiableMap(m), Collections.unmodifiableMap(nd));
  }

  /** The rule for {@code opType}, or null. */
  public GradientRule rule(String opType) {
    return rules.get(opType);
  }

  /** Whether the operator is explicitly marked as carrying no gradient. */
  public boolean isNonDifferentiable(String opType) {
    return nonDifferentiable.containsKey(opType);
  }

  /** Why {@code opType} carries no gradient, or null if it is not marked so. */
  public String nonDifferentiableReason(String opType) {
    return nonDifferentiable.get(opType);
  }

  /** Operator types with a rule, sorted. */
  public Set<String> differentiableOps() {
    return Collections.unmodifiableSet(new TreeSet<>(rules.keySet()));
  }

  /** Operator types explicitly marked as carrying no gradient, sorted. */
  public Set<String> nonDifferentiableOps() {
    return Collections.unmodifiableSet(new TreeSet<>(nonDifferentiable.keySet()));
  }

  void put(String opType, GradientRule rule) {
    if (rules.put(opType, rule) != null || nonDifferentiable.containsKey(opType)) {
      throw new IllegalStateException("two gradient decisions for " + opType);
    }
  }

  void none(String reason, String... opTypes) {
    for (String op : opTypes) {
      if (nonDifferentiable.put(op, reason) != null || rules.containsKey(op)) {
        throw new IllegalStateException("two gradient decisions for " + op);
      }
    }
  }
}
