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
import dev.kiln.runtime.Weights;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MastTest {

  private static Map<String, Tensor> run(MastConfig config, int k, double[] z1, double[] z2, double[] pairs,
      Map<String, double[]> params) {
    Graph g = new Graph("mast", DType.DOUBLE);
    Value a = g.input("z1", DType.DOUBLE, Shape.of(4, 2));
    Value b = g.input("z2", DType.DOUBLE, Shape.of(4, 2));
    Value w = g.input("pairs", DType.DOUBLE, Shape.of(4, k));
    Mast.Terms t = new Mast(config, k, 2).loss(g, a, b, w);
    g.output("loss", t.loss());
    g.output("inv", t.invariance());
    g.output("masks", t.masks());
    Map<String, Tensor> feeds = new HashMap<>(Weights.initialize(g, 0).asMap());
    params.forEach((name, v) -> feeds.put(name, Tensor.ofDoubles(v, feeds.get(name).shape())));
    feeds.put("z1", Tensor.ofDoubles(z1, 4, 2));
    feeds.put("z2", Tensor.ofDoubles(z2, 4, 2));
    feeds.put("pairs", Tensor.ofDoubles(pairs, 4, k));
    feeds.keySet().retainAll(Set.of("z1", "z2", "pairs", "mast.mask_logits", "mast.uncertainty.weight",
        "mast.uncertainty.bias"));
    return Graphs.run(g, feeds);
  }

  @Test
  void fullMasksWithoutUncertaintyOrSparsityGiveVicreg() {
    MastConfig full = new MastConfig(MaskKind.FIXED_RANDOM, false, 25, 25, 1, 0, 1.0, 3, 0, 10, false);
    double[] pairs = {1, 1, 1, 1, 1, 1, 1, 1};
    Map<String, Tensor> out = run(full, 2, VicregTest.Z1, VicregTest.Z2, pairs, Map.of());
    assertThat(out.get("loss").get(0)).isCloseTo(32.42846389255131, within(1e-9));
    assertThat(out.get("inv").get(0)).isCloseTo(0.875, within(1e-12));
  }

  @Test
  void subspaceMismatchIsMaskNormalisedAndReadOnlyFromTheSelectedPairs() {
    MastConfig learned = MastConfig.standard().withUncertainty(false);
    // Mask 0 keeps dimension 0 (θ = +3, τθ = 30), mask 1 keeps dimension 1; pair i counts for mask i % 2.
    Map<String, double[]> logits = Map.of("mast.mask_logits", new double[] {3, -3, -3, 3});
    double[] pairs = {1, 0, 0, 1, 1, 0, 0, 1};
    Map<String, Tensor> out = run(learned, 2, VicregTest.Z1, VicregTest.Z2, pairs, logits);
    // Pairs 0 and 2 read dimension 0 (mismatch 1 and 1), pairs 1 and 3 dimension 1 (4 and 0.25).
    assertThat(out.get("inv").get(0)).isCloseTo((1 + 1 + 4 + 0.25) / 4, within(1e-9));
    assertThat(out.get("masks").get(0)).isCloseTo(1, within(1e-9));
  }

  @Test
  void uncertaintyWeighsEachMismatchByExpMinusItsLogVariance() {
    MastConfig on = MastConfig.standard();
    double[] pairs = {1, 0, 1, 0, 1, 0, 1, 0};
    // A zero weight and a bias of log 2 give s = 3·tanh(log 2 / 3) for every pair.
    Map<String, double[]> params = Map.of("mast.mask_logits", new double[] {30, 30, 30, 30},
        "mast.uncertainty.weight", new double[4], "mast.uncertainty.bias", new double[] {Math.log(2), 0});
    Map<String, Tensor> out = run(on, 2, VicregTest.Z1, VicregTest.Z2, pairs, params);
    double s = 3 * Math.tanh(Math.log(2) / 3);
    assertThat(out.get("inv").get(0)).isCloseTo(Math.exp(-s) * 0.875 + s, within(1e-9));
  }

  @Test
  void centredUncertaintyWeighsPairsRelativeToTheirAugmentationsMean() {
    MastConfig centred = MastConfig.standard().withCentredUncertainty(true);
    double[] pairs = {1, 0, 1, 0, 1, 0, 1, 0};
    // A constant log σ² for every pair centres to zero: the plain mean mismatch, whatever the bias.
    Map<String, double[]> params = Map.of("mast.mask_logits", new double[] {3, 3, 3, 3},
        "mast.uncertainty.weight", new double[4], "mast.uncertainty.bias", new double[] {Math.log(2), 0});
    Map<String, Tensor> out = run(centred, 2, VicregTest.Z1, VicregTest.Z2, pairs, params);
    assertThat(out.get("inv").get(0)).isCloseTo(0.875, within(1e-6));
  }

  @Test
  void fixedRandomMasksKeepTheRequestedFractionAndDependOnTheSeed() {
    MastConfig fixed = MastConfig.standard().withMasks(MaskKind.FIXED_RANDOM).withUncertainty(false);
    Graph g = new Graph("masks", DType.DOUBLE);
    g.output("m", new Mast(fixed, 3, 40).masks(g));
    double[] m = Graphs.run(g, Map.of()).get("m").toDoubleArray();
    Graph h = new Graph("masks", DType.DOUBLE);
    h.output("m", new Mast(fixed.withMaskSeed(9), 3, 40).masks(h));
    double[] other = Graphs.run(h, Map.of()).get("m").toDoubleArray();
    double kept = 0;
    for (double v : m) {
      assertThat(v).isIn(0.0, 1.0);
      kept += v;
    }
    assertThat(kept).isEqualTo(3 * 20);
    assertThat(other).isNotEqualTo(m);
  }

  private static GradientCase lossCase(String name, MastConfig config) {
    return new GradientCase(name, Set.of(), DType.DOUBLE, (CaseInputs in) -> {
      Graph g = in.g();
      Value z1 = in.normal("z1", 6, 5);
      Value z2 = in.uniform("z2", -0.5, 0.5, 6, 5);
      Value pairs = g.constant(DType.DOUBLE, Shape.of(6, 3), 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1);
      Mast.Terms t = new Mast(config, 3, 5).loss(g, z1, z2, pairs);
      return g.concat(0, g.unsqueeze(t.loss(), 0), g.unsqueeze(t.variance(), 0), g.reshape(t.logVariance(), -1));
    });
  }

  @Test
  void lossGradientMatchesFiniteDifferencesForEverySwitch() {
    for (MastConfig c : new MastConfig[] {MastConfig.standard(), MastConfig.standard().withUncertainty(false),
        MastConfig.standard().withMasks(MaskKind.SHARED), MastConfig.standard().withMasks(MaskKind.FIXED_RANDOM),
        MastConfig.standard().withCentredUncertainty(true)}) {
      GradientCheck.Result r = GradientCheck.run(lossCase("MAST " + c.masks() + " uncertainty " + c.uncertainty(), c),
          GradientRegistry.standard(), Graphs.CPU, 4, 20);
      assertThat(r.passed()).as(r.report()).isTrue();
    }
  }
}
