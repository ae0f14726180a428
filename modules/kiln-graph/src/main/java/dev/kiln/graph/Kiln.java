package dev.kiln.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts about this build of Kiln. */
public final class Kiln {

  /** The ONNX opset Kiln writes (the newest the Debian {@code onnx} checker and ONNX Runtime 1.23 share). */
  public static final int OPSET = 17;

  /** The ONNX IR version matching {@link #OPSET}. */
  public static final int IR_VERSION = 8;

  private static final String VERSION = readVersion();

  private Kiln() {}

  /** The Kiln version, as built by Maven. */
  public static String version() {
    return VERSION;
  }

  private static String readVersion() {
    try (InputStream in = Kiln.class.getResourceAsStream("kiln-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
