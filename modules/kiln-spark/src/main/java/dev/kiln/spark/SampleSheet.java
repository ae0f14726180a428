package dev.kiln.spark;

import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The PNG of a sample job's first samples ({@link dev.kiln.viz.SampleSheet}), written whole or not at all. */
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
      dev.kiln.viz.SampleSheet.write(samples, () -> task.referenceSamples(seed, n, true), task.plotBound(), title,
          total, conditional, tmp);
      AtomicFiles.move(tmp, abs);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
