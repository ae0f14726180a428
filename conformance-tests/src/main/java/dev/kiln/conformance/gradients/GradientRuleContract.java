package dev.kiln.conformance.gradients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.autodiff.GradientRegistry;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The gradient-rule contract. Implement it in a test class, return your registry and the cases that
 * exercise your rules, and JUnit runs one finite-difference check per case plus a coverage check:
 * every rule in {@link #ownOps()} must be exercised by at least one case.
 *
 * <pre>{@code
 * class MyRulesTest implements GradientRuleContract {
 *   public GradientRegistry registry() { return GradientRegistry.standard().with("MyOp", MY_RULE); }
 *   public List<GradientCase> cases() { return List.of(GradientCase.of("MyOp", "2x3", in -> ...)); }
 *   public Set<String> ownOps() { return Set.of("MyOp"); }
 * }
 * }</pre>
 */
public interface GradientRuleContract {

  /** The rules under test. */
  GradientRegistry registry();

  /** Graphs that exercise them. */
  List<GradientCase> cases();

  /** Operators whose rules must all be covered by {@link #cases()}. */
  Set<String> ownOps();

  /**
   * The backend the checks run on: CPU, two threads, basic optimisations (ONNX Runtime's extended
   * fusions produce float-only kernels such as FusedMatMul, which float64 checks cannot load).
   */
  default OrtBackend backend() {
    return new OrtBackend(new BackendOptions(Device.CPU, 2, 1, BackendOptions.Optimization.BASIC, 0));
  }

  @TestFactory
  default Stream<DynamicTest> everyCaseMatchesFiniteDifferences() {
    OrtBackend backend = backend();
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      GradientCheck.Result r = GradientCheck.run(c, registry(), backend, 20231);
      assertThat(r.passed()).as(r.report()).isTrue();
    }));
  }

  @Test
  default void everyOwnRuleIsExercised() {
    Set<String> missing = new TreeSet<>(ownOps());
    cases().forEach(c -> missing.removeAll(c.ops()));
    assertThat(missing).as("operators with a gradient rule but no gradient-check case").isEmpty();
  }
}
