package dev.kiln.autodiff;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gradient rules by operator type, plus the operators that have no gradient at all (shape queries,
 * comparisons, integer ops). {@link #standard()} holds Kiln's rules; {@link #with} extends a copy,
 * which is how a third party adds the derivative of its own operator.
 */
public final class GradientRegistry {

  private final Map<String, GradientRule> rules;
  private final Set<String> nonDifferentiable;

  private GradientRegistry(Map<String, GradientRule> rules, Set<String> nonDifferentiable) {
    this.rules = rules;
    this.nonDifferentiable = nonDifferentiable;
  }

  private static final GradientRegistry STANDARD = build();

  private static GradientRegistry build() {
    GradientRegistry r = new GradientRegistry(new HashMap<>(), new HashSet<>());
    ElementwiseGradients.register(r);
    LayoutGradients.register(r);
    NnGradients.register(r);
    return new GradientRegistry(Collections.unmodifiableMap(r.rules),
        Collections.unmodifiableSet(r.nonDifferentiable));
  }

  /** Kiln's rules for every operator its graphs use. */
  public static GradientRegistry standard() {
    return STANDARD;
  }

  /** A copy of this registry with {@code rule} for {@code opType} (replacing any existing one). */
  public GradientRegistry with(String opType, GradientRule rule) {
    Map<String, GradientRule> m = new HashMap<>(rules);
    m.put(opType, rule);
    Set<String> nd = new HashSet<>(nonDifferentiable);
    nd.remove(opType);
    return new GradientRegistry(Collections.unmodifiableMap(m), Collections.unmodifiableSet(nd));
  }

  /** The rule for {@code opType}, or null. */
  public GradientRule rule(String opType) {
    return rules.get(opType);
  }

  /** Whether the operator never carries a gradient. */
  public boolean isNonDifferentiable(String opType) {
    return nonDifferentiable.contains(opType);
  }

  /** Operator types with a rule, sorted. */
  public Set<String> differentiableOps() {
    return Collections.unmodifiableSet(new TreeSet<>(rules.keySet()));
  }

  void put(String opType, GradientRule rule) {
    if (rules.put(opType, rule) != null) {
      throw new IllegalStateException("two gradient rules for " + opType);
    }
  }

  void none(String... opTypes) {
    Collections.addAll(nonDifferentiable, opTypes);
  }
}
