package dev.kiln.ssl.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.autodiff.GradientRegistry;
import dev.kiln.conformance.gradients.CaseInputs;
import dev.kiln.conformance.gradients.GradientCase;
import dev.kiln.conformance.gradients.GradientCheck;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.runtime.Tensor;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VicregTest {

  static final double[] Z1 = {1, 0, 0, 2, 2, 1, 1, 1};
  static final double[] Z2 = {0, 0, 0.5, 0, 1, 0.5, 0.5, 0.5};

  /**
   * z1 = [[1, 0], [0, 2], [2, 1], [1, 1]], z2 = [[0, 0], [.5, 0], [1, .5], [.5, .5]] (n = 4, d = 2), by hand:
   * squared differences 1, 0, .25, 4, 1, .25, .25, .25 sum to 7, so s = 7/8. Columns of z1 have unbiased
   * variance 2/3 each and covariance −1/3; z2's columns 1/6 and 1/12, covariance 1/12. Hence
   * v(z1) = 1 − √(2/3 + 1e-4), v(z2) = (2 − √(1/6 + 1e-4) − √(1/12 + 1e-4)) / 2, c(z1) = 2·(1/9)/2,
   * c(z2) = 2·(1/144)/2.
   */
  @Test
  void lossMatchesTheOfficialFormulaOnAHandComputedCase() {
    Graph g = new Graph("vicreg", DType.DOUBLE);
    Value z1 = g.input("z1", DType.DOUBLE, Shape.of(4, 2));
    Value z2 = g.input("z2", DType.DOUBLE, Shape.of(4, 2));
    Vicreg.Terms t = Vicreg.standard().loss(g, z1, z2);
    g.output("loss", t.loss());
    g.output("s", t.invariance());
    g.output("v", t.variance());
    g.output("c", t.covariance());
    Map<String, Tensor> out = Graphs.run(g, Map.of("z1", Tensor.ofDoubles(Z1, 4, 2), "z2", Tensor.ofDoubles(Z2, 4, 2)));
    double v1 = 1 - Math.sqrt(2.0 / 3 + 1e-4);
    double v2 = (2 - Math.sqrt(1.0 / 6 + 1e-4) - Math.sqrt(1.0 / 12 + 1e-4)) / 2;
    double c = 1.0 / 9 + 1.0 / 144;
    assertThat(out.get("s").get(0)).isCloseTo(0.875, within(1e-12));
    assertThat(out.get("v").get(0)).isCloseTo((v1 + v2) / 2, within(1e-12));
    assertThat(out.get("c").get(0)).isCloseTo(c, within(1e-12));
    assertThat(out.get("loss").get(0)).isCloseTo(25 * 0.875 + 25 * (v1 + v2) / 2 + c, within(1e-10))
        .isCloseTo(32.42846389255131, within(1e-9));
  }

  @Test
  void lossGradientMatchesFiniteDifferences() {
    GradientCase c = new GradientCase("VICReg loss", Set.of(), DType.DOUBLE, (CaseInputs in) -> {
      Graph g = in.g();
      Value z1 = in.normal("z1", 6, 5);
      Value z2 = in.uniform("z2", -0.3, 0.3, 6, 5);
      Vicreg.Terms t = Vicreg.standard().loss(g, z1, z2);
      return g.concat(0, g.unsqueeze(t.loss(), 0), g.unsqueeze(t.variance(), 0), g.unsqueeze(t.covariance(), 0));
    });
    GradientCheck.Result r = GradientCheck.run(c, GradientRegistry.standard(), Graphs.CPU, 5, 30);
    assertThat(r.passed()).as(r.report()).isTrue();
  }
}
