package dev.kiln.nerf.ssd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.autodiff.Autodiff;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.nerf.render.FiniteDifference;
import dev.kiln.runtime.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The first-stage regulariser as the official code computes it: isotropic forward differences, zero past
 * the last row and column, their length to the power 1.5, averaged over every texel.
 */
class TotalVariationTest {

  private static CompiledGraph compile(long... shape) {
    Graph g = new Graph("tv");
    Value x = g.input("x", Shape.of(shape));
    Value tv = SsdGraphs.totalVariation(g, x);
    Value grad = Autodiff.gradients(tv, java.util.List.of(x)).get(x);
    return new CompiledGraph(g, Map.of("loss", tv, "grad:x", grad), Map.of(), TinyModels.BACKEND);
  }

  @Test
  void valueIsTheMeanOfTheIsotropicDifferenceLengthToThePowerOneAndAHalf() {
    try (CompiledGraph g = compile(1, 1, 2, 2)) {
      // x = [[0, 1], [2, 0.5]]: texel (0,0) has Δh = 2, Δw = 1; (0,1) only Δh = −0.5; (1,0) only Δw = −1.5;
      // (1,1) neither. Four texels in the mean.
      float[] x = {0, 1, 2, 0.5f};
      for (int i = 0; i < 4; i++) {
        g.in("x").set(i, x[i]);
      }
      g.run();
      double expected = (Math.pow(5, 0.75) + Math.pow(0.5, 1.5) + Math.pow(1.5, 1.5)) / 4;
      assertThat(g.out("loss").get(0)).isCloseTo(expected, within(1e-5));
    }
  }

  @Test
  void differencesArePerPlaneChannelAndAveragedOverScenes() {
    try (CompiledGraph g = compile(2, 2, 1, 3)) {
      // Each of the four rows [1, 3] holds one channel of one scene; only Δw exists, zero at the end.
      float[][] rows = {{0, 1, 3}, {0, 0, 0}, {2, 2, -2}, {1, 0, 1}};
      double sum = 0;
      for (int r = 0; r < 4; r++) {
        for (int j = 0; j < 3; j++) {
          g.in("x").set(3 * r + j, rows[r][j]);
        }
        for (int j = 0; j < 2; j++) {
          sum += Math.pow(Math.abs(rows[r][j + 1] - rows[r][j]), 1.5);
        }
      }
      g.run();
      assertThat(g.out("loss").get(0)).isCloseTo(sum / 12, within(1e-5));
    }
  }

  @Test
  void aConstantPlaneCostsNothingAndHasAZeroGradientNotNaN() {
    try (CompiledGraph g = compile(1, 2, 4, 4)) {
      for (int i = 0; i < 32; i++) {
        g.in("x").set(i, 0.7);
      }
      g.run();
      assertThat(g.out("loss").get(0)).isZero();
      assertThat(g.out("grad:x").toFloatArray()).containsOnly(0f);
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (CompiledGraph g = compile(2, 3, 5, 5)) {
      Tensor x = g.in("x");
      SplittableRandom rng = new SplittableRandom(3);
      for (int i = 0; i < x.size(); i++) {
        x.set(i, 2 * rng.nextDouble() - 1);
      }
      g.run();
      float[] analytic = g.out("grad:x").toFloatArray();
      double largest = 0;
      for (int i = 0; i < x.size(); i += 7) {
        double numeric = FiniteDifference.central(g, x, i, 1e-2);
        largest = Math.max(largest, Math.abs(numeric));
        assertThat((double) analytic[i]).as("∂TV/∂x[%d]", i).isCloseTo(numeric, within(2e-4 + 1e-2 * Math.abs(numeric)));
      }
      assertThat(largest).isGreaterThan(1e-3);
    }
  }
}
