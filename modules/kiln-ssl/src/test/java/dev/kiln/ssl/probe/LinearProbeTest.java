package dev.kiln.ssl.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

  /** Three Gaussian blobs in 4-D, the class read from the first two coordinates; two noise coordinates. */
  private static float[][] blobs(int n, int[] labels, long seed, boolean informative) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] x = new float[n][4];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(3);
      double angle = 2 * Math.PI * labels[i] / 3;
      for (int j = 0; j < 4; j++) {
        x[i][j] = (float) (0.3 * rng.nextGaussian());
      }
      if (informative) {
        x[i][0] += (float) (3 * Math.cos(angle));
        x[i][1] += (float) (3 * Math.sin(angle));
      }
    }
    return x;
  }

  @Test
  void separableClassesAreLearnedAndNoiseStaysNearChance() {
    int[] yTrain = new int[300];
    int[] yTest = new int[300];
    float[][] train = blobs(300, yTrain, 1, true);
    float[][] test = blobs(300, yTest, 2, true);
    assertThat(LinearProbe.of(3).fit(train, yTrain).accuracy(test, yTest)).isGreaterThan(0.98);
    float[][] noiseTrain = blobs(300, yTrain, 3, false);
    float[][] noiseTest = blobs(300, yTest, 4, false);
    assertThat(LinearProbe.of(3).fit(noiseTrain, yTrain).accuracy(noiseTest, yTest)).isBetween(0.2, 0.47);
  }

  @Test
  void aLabelOutsideTheClassesIsRefused() {
    assertThatThrownBy(() -> LinearProbe.of(2).fit(new float[][] {{1}, {2}}, new int[] {0, 2}))
        .hasMessageContaining("label 2");
  }
}
