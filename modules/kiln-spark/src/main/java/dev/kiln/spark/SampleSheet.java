package dev.kiln.spark;

import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.Tensor;
import dev.kiln.viz.ImageGrid;
import dev.kiln.viz.ScatterPlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The PNG of a sample job's first samples, drawn as {@code kiln sample} draws them: 2-D points as a scatter
 * next to as many held-out points, images as a grid (ten columns when class-conditional).
 */
final class SampleSheet {

  private SampleSheet() {}

  static void write(Tensor samples, boolean conditional, long total, DiffusionTask task, String title, Path png,
      long seed) throws IOException {
    Path abs = png.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    Path tmp = AtomicFiles.temporaryBeside(abs, ".png.tmp");
    try {
      int n = (int) samples.dim(0);
      if (task.sampleShape().length == 1) {
        String shown = n < total ? " (first " + n + " of " + total + ")" : "";
        String data = task.config().data().toLowerCase(Locale.ROOT);
        double bound = data.contains("checker") ? 4.5 : data.contains("moon") ? 3.2 : 3.0;
        ScatterPlot.defaults().withBounds(ScatterPlot.Bounds.square(bound)).write(tmp,
            ScatterPlot.Panel.of("data (" + n + " held-out)", task.referenceSamples(seed, n, true)),
            ScatterPlot.Panel.of(title + shown, samples));
      } else {
        int columns = conditional ? 10 : (int) Math.ceil(Math.sqrt(n));
        ImageGrid.forRange(-1, 1).withColumns(columns).withScale(2).write(samples, tmp);
      }
      AtomicFiles.move(tmp, abs);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
