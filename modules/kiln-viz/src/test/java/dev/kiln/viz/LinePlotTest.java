package dev.kiln.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

  @TempDir
  Path dir;

  private static final double[] NFE = {3, 5, 10, 20, 50};

  @Test
  void defaultChartIs800By500AndDrawsEachSeriesInItsColour() throws Exception {
    Path png = dir.resolve("swd-vs-nfe.png");
    LinePlot.titled("SWD vs NFE").withLabels("NFE", "SWD").withLogX(true).withLogY(true).write(png,
        new LinePlot.Series("DDIM", NFE, new double[] {0.9, 0.5, 0.2, 0.08, 0.05}),
        new LinePlot.Series("DPM-Solver++ 2M", NFE, new double[] {0.6, 0.2, 0.07, 0.05, 0.045}));

    BufferedImage image = Pixels.read(png);
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(500);
    assertThat(Pixels.count(image, 0x1f77b4)).as("first series, tab:blue").isGreaterThan(200);
    assertThat(Pixels.count(image, 0xff7f0e)).as("second series, tab:orange").isGreaterThan(200);
  }

  @Test
  void lossCurveOnLinearAxesIsNotBlank() {
    double[] loss = new double[200];
    for (int i = 0; i < loss.length; i++) {
      loss[i] = 1 / (1 + 0.05 * i) + 0.02 * Math.sin(i);
    }
    BufferedImage image = LinePlot.titled("training loss").withSize(640, 360)
        .render(List.of(LinePlot.Series.ofY("loss", loss)));
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(360);
    assertThat(Pixels.count(image, 0x1f77b4)).isGreaterThan(300);
    assertThat(Pixels.nonWhite(image, 0, 640)).isGreaterThan(5000);
  }

  @Test
  void nonFinitePointsAreSkippedAndASinglePointStillPlots() {
    BufferedImage image = LinePlot.titled("").render(List.of(
        new LinePlot.Series("gap", new double[] {1, 2, 3}, new double[] {1, Double.NaN, 3}),
        new LinePlot.Series("dot", new double[] {2}, new double[] {2})));
    assertThat(Pixels.count(image, 0xff7f0e)).isPositive();
  }

  /** Marker outlines use the darker series colour, which a blue line antialiased on white never produces. */
  @Test
  void markersAreDrawnOnShortSeriesOnly() {
    int outline = new java.awt.Color(0x1f77b4).darker().getRGB() & 0xFFFFFF;
    double[] shortY = new double[LinePlot.MAX_MARKED_POINTS];
    double[] longY = new double[LinePlot.MAX_MARKED_POINTS + 1];
    for (int i = 0; i < longY.length; i++) {
      longY[i] = Math.sqrt(i);
      if (i < shortY.length) {
        shortY[i] = Math.sqrt(i);
      }
    }
    LinePlot plot = LinePlot.titled("");
    assertThat(Pixels.count(plot.render(List.of(LinePlot.Series.ofY("short", shortY))), outline)).isPositive();
    assertThat(Pixels.count(plot.render(List.of(LinePlot.Series.ofY("long", longY))), outline)).isZero();
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    LinePlot plot = LinePlot.titled("t");
    assertThatThrownBy(() -> plot.render(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no series");
    assertThatThrownBy(() -> new LinePlot.Series("loss", new double[0], new double[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series 'loss' is empty");
    assertThatThrownBy(() -> new LinePlot.Series("loss", new double[2], new double[3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x values and 3 y values");
    assertThatThrownBy(() -> plot.withLogY(true).render(List.of(LinePlot.Series.ofY("loss", new double[] {1, 0}))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log-scale y needs positive values; series 'loss' has y[1] = 0.0");
    assertThatThrownBy(() -> plot.render(List.of(new LinePlot.Series("nan", new double[] {1}, new double[] {Double.NaN}))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no finite y values");
  }
}
