package dev.kiln.viz;

import dev.kiln.graph.onnx.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes images as PNG files, atomically: readers see the old file or the whole new one. */
final class PngFile {

  private PngFile() {}

  /** Encodes {@code image} as PNG into a temporary file beside {@code file}, then moves it over {@code file}. */
  static void write(BufferedImage image, Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", bytes)) {
      throw new IOException("no PNG writer available for image type " + image.getType());
    }
    AtomicFiles.write(file, bytes.toByteArray());
  }
}
