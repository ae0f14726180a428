package dev.kiln.transformers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.autodiff.GradientRegistry;
import dev.kiln.conformance.gradients.CaseInputs;
import dev.kiln.conformance.gradients.GradientCase;
import dev.kiln.conformance.gradients.GradientCheck;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.transformers.model.HyperUtConfig;
import dev.kiln.transformers.model.TimingSignal;
import dev.kiln.transformers.model.UniversalTransformer;
import dev.kiln.transformers.model.UniversalTransformerConfig;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Gradients of the adaptive-depth models against central finite differences in float64 (the
 * architecture contract falls back to float32 because ONNX Runtime has no float64 Erf for GELU; with
 * SiLU every kernel exists in float64 and the tolerance is 1e-5 relative).
 */
class StepGradientTest {

  private static final OrtBackend CPU = new OrtBackend(new BackendOptions(Device.CPU, 2, 1,
      BackendOptions.Optimization.BASIC, 0));

  private static final UniversalTransformer UT = new UniversalTransformerConfig(5, 5, 5, 8, 2, 16, 3, 0.01, 1.0,
      "silu", null, null).architecture();
  private static final UniversalTransformer HYPER = new HyperUtConfig(5, 5, 5, 8, 2, 16, 3, 0.01, 1.0, 3, 2, 4,
      "silu", null, null, null).architecture();
  private static final UniversalTransformer HYPER_T = new HyperUtConfig(5, 5, 5, 8, 2, 16, 3, 0.01, 1.0, 3, 1, 4,
      "silu", null, null, false).architecture();

  /** One step of the shared block and halting unit: y and p, concatenated. */
  private static GradientCase step(String name, UniversalTransformer arch) {
    return new GradientCase(name, Set.of(), DType.DOUBLE, (CaseInputs in) -> {
      Graph g = in.g();
      Value h = in.uniform("h", -1, 1, 2, arch.embedding().tokens(), arch.dims().dim());
      UniversalTransformer.Output out = arch.declareStep(g).apply(g, h, TimingSignal.stepIndex(g, h, 2));
      return g.concat(0, g.reshape(out.state(), -1), out.halting());
    });
  }

  /** The whole unrolled model: logits and ponder cost (through the remainders). */
  private static GradientCase unrolled(String name, UniversalTransformer arch) {
    return new GradientCase(name, Set.of(), DType.DOUBLE, (CaseInputs in) -> {
      Graph g = in.g();
      Value tokens = in.indices("tokens", 5, 3, 5);
      Map<String, Value> out = arch.build(g, Map.of("tokens", tokens));
      return g.concat(0, g.reshape(out.get("logits"), -1), out.get("ponder"));
    });
  }

  private static void check(GradientCase c) {
    GradientCheck.Result r = GradientCheck.run(c, GradientRegistry.standard(), CPU, 3, 12);
    assertThat(r.passed()).as(r.report()).isTrue();
  }

  @Test
  void universalTransformerStepMatchesFiniteDifferencesInFloat64() {
    check(step("UT step", UT));
  }

  @Test
  void hyperUtStepWithTwoRouterHeadsMatchesFiniteDifferencesInFloat64() {
    check(step("Hyper-UT step", HYPER));
  }

  @Test
  void unrolledHyperUtWithHaltingMatchesFiniteDifferencesInFloat64() {
    check(unrolled("Hyper-UT unrolled", HYPER));
  }

  @Test
  void unrolledUniversalTransformerWithHaltingMatchesFiniteDifferencesInFloat64() {
    check(unrolled("UT-ACT unrolled", UT));
  }

  @Test
  void routerWithoutActMatchesFiniteDifferencesInFloat64() {
    check(unrolled("Hyper-T unrolled", HYPER_T));
  }
}
