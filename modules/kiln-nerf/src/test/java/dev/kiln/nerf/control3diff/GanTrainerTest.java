package dev.kiln.nerf.control3diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.nerf.render.FiniteDifference;
import dev.kiln.nerf.scenes.View;
import dev.kiln.nerf.ssd.CompiledGraph;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The GAN's losses and training loop. */
class GanTrainerTest {

  @Test
  void discriminatorGradientWithR1PenaltyMatchesFiniteDifferences() {
    TriplaneGan gan = TriplaneGan.initialize(TinyGan.config(0), 3);
    try (CompiledGraph d = gan.discriminatorLoss(2, TinyGan.BACKEND)) {
      SplittableRandom rng = new SplittableRandom(4);
      for (String in : List.of("real", "fake", "real_pose", "fake_pose")) {
        Tensor t = d.in(in);
        for (int i = 0; i < t.size(); i++) {
          t.set(i, rng.nextDouble());
        }
      }
      d.run();
      assertThat(d.out("r1").get(0)).as("the penalty is active").isGreaterThan(1e-4);
      // The R1 term is a gradient of a leaky-ReLU network, piecewise smooth in the weights: a finite
      // difference that straddles a kink jumps. Such coordinates show as central differences at two
      // steps that disagree, and are skipped; the rest must match autodiff.
      double worst = 0;
      int checked = 0;
      for (String name : List.of("discriminator.conv0.weight", "discriminator.conv2.weight",
          "discriminator.features.weight", "discriminator.camera.weight")) {
        Tensor w = gan.discriminatorWeights().get(name);
        d.run();
        float[] analytic = d.out("grad:" + name).toFloatArray();
        for (int k = 0; k < 8; k++) {
          int i = rng.nextInt(w.size());
          double wide = FiniteDifference.central(d, w, i, 2e-3);
          double narrow = FiniteDifference.central(d, w, i, 1e-3);
          if (Math.abs(wide - narrow) > 1e-2 * Math.abs(wide) + 2e-4) {
            continue;
          }
          worst = Math.max(worst, Math.abs(narrow - analytic[i]) - 3e-2 * Math.abs(narrow));
          checked++;
        }
      }
      assertThat(checked).as("coordinates away from kinks").isGreaterThanOrEqualTo(16);
      assertThat(worst).as("worst excess of |autodiff − finite difference| over 3e-2·|fd|").isLessThan(3e-4);
    }
  }

  @Test
  void sameSeedGivesTheSameWeightsAndAnotherSeedDoesNot() {
    List<View> views = TinyGan.views(4);
    Weights a = trained(views, 7);
    Weights b = trained(views, 7);
    Weights c = trained(views, 8);
    assertThat(a.contentEquals(b)).isTrue();
    assertThat(a.contentEquals(c)).isFalse();
  }

  @Test
  void trainingMovesBothNetworksAndLogsFiniteLosses() {
    TriplaneGan gan = TriplaneGan.initialize(TinyGan.config(3), 1);
    Weights before = Weights.of(gan.weights()).copy();
    List<GanTrainer.Point> points = GanTrainer.train(gan, TinyGan.views(4), TinyGan.BACKEND, 1, 1, null, null);
    assertThat(points).hasSize(3);
    assertThat(points).allSatisfy(p -> assertThat(p.discriminatorLoss()).isFinite().isPositive());
    assertThat(Weights.of(gan.generatorWeights()).contentEquals(Weights.of(before.asMap()).copy())).isFalse();
    gan.generatorWeights().forEach((name, w) -> {
      if (name.endsWith("planes.weight")) {
        assertThat(w.toFloatArray()).isNotEqualTo(before.get(name).toFloatArray());
      }
    });
    gan.discriminatorWeights().forEach((name, w) -> {
      if (name.endsWith("conv0.weight")) {
        assertThat(w.toFloatArray()).isNotEqualTo(before.get(name).toFloatArray());
      }
    });
  }

  @Test
  void viewsOfAnotherSizeAreRefusedWithBothSizes() {
    TriplaneGan gan = TriplaneGan.initialize(TinyGan.config(1), 1);
    List<View> views = dev.kiln.nerf.scenes.MultiViewDataset.generate(new dev.kiln.nerf.scenes.MultiViewDataset.Config(
        null, 1, 1, 1, 12, null, null, 1, 5L)).train().stream().map(s -> s.inputs().get(0)).toList();
    assertThatThrownBy(() -> GanTrainer.train(gan, views, TinyGan.BACKEND, 1, 1, null, null))
        .hasMessageContaining("12×12").hasMessageContaining("8×8");
  }

  private static Weights trained(List<View> views, long seed) {
    TriplaneGan gan = TriplaneGan.initialize(TinyGan.config(2), seed);
    GanTrainer.train(gan, views, TinyGan.BACKEND, seed, 1, null, null);
    return Weights.of(gan.weights()).copy();
  }
}
