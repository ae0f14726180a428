package dev.kiln.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.runtime.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScatterPlotTest {

  @TempDir
  Path dir;

  private static double[][] ring(int n, double radius, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] points = new double[n][];
    for (int i = 0; i < n; i++) {
      double a = rng.nextDouble(2 * Math.PI);
      points[i] = new double[] {radius * Math.cos(a) + 0.05 * rng.nextGaussian(), radius * Math.sin(a)};
    }
    return points;
  }

  @Test
  void twoPanelsSideBySideBothShowDots() throws Exception {
    Path png = dir.resolve("toy.png");
    ScatterPlot.defaults().write(png,
        new ScatterPlot.Panel("data", ring(2000, 1, 1)),
        new ScatterPlot.Panel("DDIM 50 steps", ring(2000, 1.2, 2)));

    BufferedImage image = Pixels.read(png);
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(400);
    assertThat(Pixels.bluish(image, 0, 400)).isGreaterThan(2000);
    assertThat(Pixels.bluish(image, 400, 800)).isGreaterThan(2000);
  }

  @Test
  void pointsOutsideFixedBoundsAreNotDrawn() {
    double[][] far = {{5, 5}, {-7, 0}, {0, 9}};
    BufferedImage image = ScatterPlot.defaults().withBounds(ScatterPlot.Bounds.square(1))
        .render(List.of(new ScatterPlot.Panel("far away", far)));
    assertThat(Pixels.bluish(image, 0, image.getWidth())).isZero();
    BufferedImage inside = ScatterPlot.defaults().withBounds(ScatterPlot.Bounds.square(1))
        .render(List.of(new ScatterPlot.Panel("near", new double[][] {{0.5, 0.5}})));
    assertThat(Pixels.bluish(inside, 0, inside.getWidth())).isPositive();
  }

  @Test
  void tensorPanelsAreTakenAsRowsOfXy() {
    Tensor points = Tensor.of(new float[] {0, 0, 1, 1, -1, 0.5f}, 3, 2);
    ScatterPlot.Panel panel = ScatterPlot.Panel.of("t", points);
    assertThat(panel.points()).isDeepEqualTo(new double[][] {{0, 0}, {1, 1}, {-1, 0.5}});
    BufferedImage image = ScatterPlot.defaults().withPanelSize(200).render(List.of(panel));
    assertThat(image.getWidth()).isEqualTo(200);
    assertThat(Pixels.bluish(image, 0, 200)).isPositive();
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> ScatterPlot.Panel.of("x", Tensor.of(new float[6], 2, 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be [n, 2]");
    assertThatThrownBy(() -> new ScatterPlot.Panel("empty", new double[0][]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'empty' has no points");
    assertThatThrownBy(() -> ScatterPlot.defaults().render(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no panels");
    assertThatThrownBy(() -> new ScatterPlot.Panel("p", new double[][] {{1, 2, 3}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("point 0 has 3 coordinates");
  }
}
