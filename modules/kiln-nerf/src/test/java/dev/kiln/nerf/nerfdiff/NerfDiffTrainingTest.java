package dev.kiln.nerf.nerfdiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.runtime.Tensor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NerfDiffTrainingTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void jointTrainingLowersTheNerfErrorAtTargetViewsAndTheDiffusionLoss() {
    MultiViewDataset data = TinyNerfDiff.data(4, 1, 4);
    NerfDiff model = NerfDiff.initialize(TinyNerfDiff.config(60, null), 5);
    List<NerfDiffTrainer.Point> log = NerfDiffTrainer.train(model, data.train(), TinyNerfDiff.BACKEND, 5, 10,
        QUIET, null);
    double firstMse = log.get(0).nerfMse();
    double lastMse = log.get(log.size() - 1).nerfMse();
    assertThat(lastMse).as("NeRF target-view MSE after 60 steps vs after 10").isLessThan(0.8 * firstMse);
    double firstCdm = (log.get(0).cdmLoss() + log.get(1).cdmLoss()) / 2;
    double lastCdm = (log.get(log.size() - 2).cdmLoss() + log.get(log.size() - 1).cdmLoss()) / 2;
    assertThat(lastCdm).as("CDM ε-loss, late vs early").isLessThan(firstCdm);
  }

  @Test
  void sameSeedGivesTheSameWeightsAndAnotherSeedDoesNot() {
    MultiViewDataset data = TinyNerfDiff.data(3, 1, 3);
    Map<String, Tensor> a = trained(data, 7).nerfWeights();
    Map<String, Tensor> b = trained(data, 7).nerfWeights();
    Map<String, Tensor> c = trained(data, 8).nerfWeights();
    assertThat(a.keySet()).isEqualTo(b.keySet());
    a.forEach((k, v) -> assertThat(v.contentEquals(b.get(k))).as(k).isTrue());
    assertThat(a.entrySet().stream().allMatch(e -> e.getValue().contentEquals(c.get(e.getKey())))).isFalse();
  }

  @Test
  void aTrainingSceneWithOneViewIsRefusedByName() {
    MultiViewDataset data = TinyNerfDiff.data(2, 1, 1);
    NerfDiff model = NerfDiff.initialize(TinyNerfDiff.config(1, null), 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NerfDiffTrainer.train(model, data.train(),
        TinyNerfDiff.BACKEND, 1, 1, QUIET, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("training scene 0");
  }

  private static NerfDiff trained(MultiViewDataset data, long seed) {
    NerfDiff model = NerfDiff.initialize(TinyNerfDiff.config(3, null), seed);
    NerfDiffTrainer.train(model, data.train(), TinyNerfDiff.BACKEND, seed, 1, QUIET, null);
    return model;
  }
}
