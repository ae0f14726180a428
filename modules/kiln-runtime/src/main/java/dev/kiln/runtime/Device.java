package dev.kiln.runtime;

import java.util.Locale;

/** Where ONNX Runtime executes: CUDA when present ({@code AUTO}), or a fixed choice. */
public enum Device {
  AUTO, CPU, CUDA;

  /** Parses {@code auto}, {@code cpu} or {@code cuda} (any case). */
  public static Device parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("device must be auto, cpu or cuda, got `" + s + "`", e);
    }
  }
}
