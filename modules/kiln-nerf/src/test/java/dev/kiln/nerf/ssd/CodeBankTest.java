package dev.kiln.nerf.ssd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.graph.DType;
import dev.kiln.runtime.Tensor;
import dev.kiln.train.Optimizer;
import dev.kiln.train.OptimizerConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Per-scene Adam: each scene is exactly a separate Adam, whatever the order scenes are visited in. */
class CodeBankTest {

  @Test
  void eachSceneFollowsItsOwnAdamTrajectory() {
    SplittableRandom rng = new SplittableRandom(3);
    CodeBank bank = new CodeBank(3, 5, 0.1, new SplittableRandom(1));
    Tensor param = Tensor.of(bank.code(1).clone(), 5);
    Tensor grad = Tensor.zeros(DType.FLOAT, 5);
    Optimizer reference = Optimizer.create(OptimizerConfig.adam(0.01),
        List.of(new Optimizer.Slot("code", param, grad, false)));
    int t = 0;
    for (int step = 0; step < 12; step++) {
      float[] g = new float[3 * 5];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) rng.nextGaussian();
      }
      // Scene 1 is updated only on some steps; the others in between must not disturb its moments.
      bank.step(0, g, 0, 0.01);
      if (step % 3 != 2) {
        bank.step(1, g, 5, 0.01);
        for (int i = 0; i < 5; i++) {
          grad.set(i, g[5 + i]);
        }
        reference.step(0.01, ++t);
      }
      bank.step(2, g, 10, 0.01);
    }
    for (int i = 0; i < 5; i++) {
      assertThat((double) bank.code(1)[i]).isCloseTo(param.get(i), within(1e-6));
    }
  }

  @Test
  void aSceneIsStartedFromTheMeanOnlyBeforeItsFirstStep() {
    CodeBank bank = new CodeBank(2, 3, 1e-4, new SplittableRandom(1));
    bank.reset(0, new float[] {0.5f, -0.25f, 0f});
    assertThat(bank.code(0)).containsExactly(0.5f, -0.25f, 0f);
    bank.step(0, new float[] {1, 1, 1}, 0, 0.01);
    assertThat(bank.fresh(0)).isFalse();
    assertThat(bank.fresh(1)).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bank.reset(0, new float[3]))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("scene 0");
  }

  @Test
  void meanTriplaneIsAnEmaOfTheBatchMeanOfTheActivatedCodes() {
    SsdNerf model = SsdNerf.initialize(TinyModels.config(1, null), 0);
    float[] mean = {1f, 0f};
    Tensor code = Tensor.of(new float[] {0.3f, -1f, -0.1f, 2f}, 2, 2);
    SsdTrainer.updateMean(mean, model, code, 2, 0.1);
    double s = model.config().model().codeScale();
    assertThat((double) mean[0]).isCloseTo(0.9 + 0.1 * s * (Math.tanh(0.3) + Math.tanh(-0.1)) / 2, within(1e-6));
    assertThat((double) mean[1]).isCloseTo(0.1 * s * (Math.tanh(-1) + Math.tanh(2)) / 2, within(1e-6));
  }
}
