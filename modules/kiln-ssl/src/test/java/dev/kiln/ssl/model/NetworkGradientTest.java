package dev.kiln.ssl.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.autodiff.GradientRegistry;
import dev.kiln.conformance.gradients.CaseInputs;
import dev.kiln.conformance.gradients.GradientCase;
import dev.kiln.conformance.gradients.GradientCheck;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.nn.Activation;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The expander (Linear, training-mode BatchNorm, ReLU) in float64, and the encoder's wiring (stem,
 * strided blocks, projection skips, GroupNorm, pooling) in float32, since convolutions have no float64
 * kernels in ONNX Runtime, against central finite differences. The encoder is checked with SiLU: float32
 * differences of step 1e-2 cross ReLU kinks through three normalisations (ReLU's own rule is checked by
 * the conformance suite).
 */
class NetworkGradientTest {

  private static final OrtBackend CPU = new OrtBackend(new BackendOptions(Device.CPU, 1, 1,
      BackendOptions.Optimization.BASIC, 0));

  @Test
  void expanderWithBatchStatisticsHasFiniteDifferenceGradients() {
    GradientCase c = new GradientCase("expander", Set.of(), DType.DOUBLE, (CaseInputs in) -> {
      Graph g = in.g();
      Value f = in.normal("f", 6, 4);
      return new Expander(4, List.of(5L, 3L)).apply(g, f, true);
    });
    GradientCheck.Result r = GradientCheck.run(c, GradientRegistry.standard(), CPU, 2, 25);
    assertThat(r.passed()).as(r.report()).isTrue();
  }

  @Test
  void smallResNetHasFiniteDifferenceGradients() {
    GradientCase c = new GradientCase("resnet", Set.of(), DType.FLOAT, (CaseInputs in) -> {
      Graph g = in.g();
      Value x = in.uniform("x", 0, 1, 2, 3, 8, 8);
      return new ResNetEncoder(3, List.of(4L, 8L), 1, 2, Activation.SILU).apply(g, x);
    });
    GradientCheck.Result r = GradientCheck.run(c, GradientRegistry.standard(), CPU, 3, 8);
    assertThat(r.passed()).as(r.report()).isTrue();
  }
}
