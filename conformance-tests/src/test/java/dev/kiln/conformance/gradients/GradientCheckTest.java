package dev.kiln.conformance.gradients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.autodiff.GradientRegistry;
import dev.kiln.graph.Value;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker itself: it must reject a wrong rule and name the mismatch. */
class GradientCheckTest {

  private static final OrtBackend CPU = new OrtBackend(
      new BackendOptions(Device.CPU, 2, 1, BackendOptions.Optimization.BASIC, 0));

  private static final GradientCase SIGMOID = GradientCase.of("Sigmoid", "[3,4]",
      in -> in.g().sigmoid(in.normal("x", 3, 4)));

  @Test
  void correctRulePasses() {
    assertThat(GradientCheck.run(SIGMOID, GradientRegistry.standard(), CPU, 1).passed()).isTrue();
  }

  @Test
  void ruleMissingAFactorIsRejectedWithCoordinates() {
    // σ' written as y instead of y(1−y)
    GradientRegistry broken = GradientRegistry.standard().with("Sigmoid",
        c -> Arrays.asList(c.g().mul(c.dy(), c.out(0))));
    GradientCheck.Result r = GradientCheck.run(SIGMOID, broken, CPU, 1);
    assertThat(r.passed()).isFalse();
    assertThat(r.report()).contains("gradient mismatch").contains("x[").contains("finite difference");
  }

  @Test
  void ruleThatForgetsBroadcastReductionIsRejected() {
    GradientCase add = GradientCase.of("Mul", "broadcast", in -> in.g().mul(in.normal("a", 2, 3), in.normal("b", 3)));
    // Returns a·dy summed over the wrong axis for b: scaled by 2 instead of reduced.
    GradientRegistry broken = GradientRegistry.standard().with("Mul", c -> {
      Value db = c.g().mul(c.g().reduceMean(c.g().mul(c.dy(), c.in(0)), false, 0), 1.0);
      return Arrays.asList(c.g().mul(c.dy(), c.in(1)), db);
    });
    assertThat(GradientCheck.run(add, broken, CPU, 2).passed()).isFalse();
  }

  @Test
  void coverageCheckNamesUncoveredRules() {
    GradientRuleContract partial = new GradientRuleContract() {
      @Override
      public GradientRegistry registry() {
        return GradientRegistry.standard();
      }

      @Override
      public List<GradientCase> cases() {
        return List.of(SIGMOID);
      }

      @Override
      public java.util.Set<String> ownOps() {
        return java.util.Set.of("Sigmoid", "Tanh");
      }
    };
    org.assertj.core.api.Assertions.assertThatThrownBy(partial::everyOwnRuleIsExercised)
        .hasMessageContaining("Tanh");
  }
}
