package dev.kiln.viz;

import dev.kiln.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The picture of a sampling job's first samples, as {@code kiln sample} and the Spark sample job draw
 * it: 2-D points as a scatter next to as many held-out points, images as a grid (ten columns, one per
 * class, when the samples are class-conditional).
 */
public final class SampleSheet {

  private SampleSheet() {}

  /**
   * Writes {@code png} directly (callers that need all-or-nothing outputs write to a temporary file).
   *
   * @param samples the samples shown: [n, 2] points or [n, c, h, w] images
   * @param heldOut n held-out data points, read only for points
   * @param bound half the side of the square the points are drawn in
   * @param title the samples' panel title, e.g. the sampler and its steps
   * @param total how many samples the job drew (the title says "first n of total" when more)
   * @param conditional whether the samples cycle through ten classes
   */
  public static void write(Tensor samples, Supplier<Tensor> heldOut, double bound, String title, long total,
      boolean conditional, Path png) throws IOException {
    int n = (int) samples.dim(0);
    if (samples.rank() == 2) {
      String shown = n < total ? " (first " + n + " of " + total + ")" : "";
      ScatterPlot.defaults().withBounds(ScatterPlot.Bounds.square(bound)).write(png,
          ScatterPlot.Panel.of("data (" + n + " held-out)", heldOut.get()),
          ScatterPlot.Panel.of(title + shown, samples));
    } else {
      int columns = conditional ? 10 : (int) Math.ceil(Math.sqrt(n));
      ImageGrid.forRange(-1, 1).withColumns(columns).withScale(2).write(samples, png);
    }
  }
}
