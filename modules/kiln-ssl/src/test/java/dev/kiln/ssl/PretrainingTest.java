package dev.kiln.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.ssl.augment.ColorJitter;
import dev.kiln.ssl.augment.FlipRotate;
import dev.kiln.ssl.augment.Pipeline;
import dev.kiln.ssl.augment.ResizedCrop;
import dev.kiln.ssl.augment.Stage;
import dev.kiln.ssl.data.FactorImages;
import dev.kiln.ssl.data.ShapeScenes;
import dev.kiln.ssl.model.SslNetwork;
import dev.kiln.ssl.objective.MastConfig;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainingTest {

  private static final OrtBackend CPU = new OrtBackend(new BackendOptions(Device.CPU, 1, 1,
      BackendOptions.Optimization.BASIC, 0));
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final FactorImages DATA = ShapeScenes.generate(40, 12, 0);
  private static final Pipeline PIPELINE = Pipeline.of(Stage.of("crop", new ResizedCrop(0.4, 1)),
      Stage.of("flip", new FlipRotate(0.5, true)), Stage.of("colour", new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8)));
  private static final SslNetwork NET = SslNetwork.of(3, List.of(4L, 8L), List.of(16L, 16L));

  private static Pretraining mast(long seed) {
    return new Pretraining(NET, PIPELINE, Method.mast("mast", MastConfig.standard()), 6, 3, 1e-2, seed);
  }

  @Test
  void sameSeedGivesBitIdenticalWeightsAndAnotherSeedDoesNot(@TempDir Path dir) throws Exception {
    Pretraining.Result a = mast(1).run(DATA, CPU, dir.resolve("a"), QUIET);
    Pretraining.Result b = mast(1).run(DATA, CPU, dir.resolve("b"), QUIET);
    Pretraining.Result c = mast(2).run(DATA, CPU, dir.resolve("c"), QUIET);
    assertThat(a.weights().contentEquals(b.weights())).isTrue();
    assertThat(a.weights().contentEquals(c.weights())).isFalse();
    assertThat(a.finalLoss()).isFinite();
  }

  @Test
  void trainingMovesTheMasksAndTheExpandersRunningStatistics(@TempDir Path dir) throws Exception {
    Pretraining.Result r = mast(3).run(DATA, CPU, dir, QUIET);
    assertThat(java.util.Arrays.stream(r.weights().get("mast.mask_logits").toDoubleArray()).anyMatch(v -> v != 0))
        .isTrue();
    assertThat(java.util.Arrays.stream(r.weights().get("expander.norm0.running_mean").toDoubleArray())
        .anyMatch(v -> v != 0)).isTrue();
  }

  @Test
  void oneAugmentationPairsWeighOnlyTheStageThatDiffers() {
    Pretraining p = mast(4);
    dev.kiln.runtime.Tensor views = dev.kiln.runtime.Tensor.zeros(dev.kiln.graph.DType.FLOAT, 12, 3, 12, 12);
    dev.kiln.runtime.Tensor pairs = dev.kiln.runtime.Tensor.zeros(dev.kiln.graph.DType.FLOAT, 6, 3);
    p.fill(DATA, 1, views, pairs);
    for (int i = 0; i < 6; i++) {
      double row = pairs.get(3 * i) + pairs.get(3 * i + 1) + pairs.get(3 * i + 2);
      assertThat(row).isEqualTo(1.0);
    }
  }

  @Test
  void featuresOfAPictureDoNotDependOnTheRestOfTheBatch(@TempDir Path dir) throws Exception {
    Pretraining.Result r = mast(5).run(DATA, CPU, dir, QUIET);
    FeatureSet all = FeatureSet.extract(NET, r.weights(), CPU, DATA, new int[] {0, 1, 2, 3});
    FeatureSet one = FeatureSet.extract(NET, r.weights(), CPU, DATA, new int[] {2});
    assertThat(one.embedding()[0]).containsExactly(all.embedding()[2], org.assertj.core.api.Assertions.within(1e-5f));
    assertThat(one.backbone()[0]).hasSize(8);
  }
}
