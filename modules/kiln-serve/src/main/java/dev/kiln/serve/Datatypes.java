package dev.kiln.serve;

import dev.kiln.graph.DType;
import java.util.Locale;

/** The Open Inference Protocol's datatype names for the element types Kiln's tensors hold. */
final class Datatypes {

  private Datatypes() {}

  static String name(DType t) {
    return switch (t) {
      case FLOAT -> "FP32";
      case DOUBLE -> "FP64";
      case INT64 -> "INT64";
      case INT32 -> "INT32";
      case BOOL -> "BOOL";
    };
  }

  /** The element type of a protocol name; a 400 naming {@code field} for one Kiln models never take. */
  static DType parse(String name, String field) {
    return switch (name == null ? "" : name.toUpperCase(Locale.ROOT)) {
      case "FP32" -> DType.FLOAT;
      case "FP64" -> DType.DOUBLE;
      case "INT64" -> DType.INT64;
      case "INT32" -> DType.INT32;
      case "BOOL" -> DType.BOOL;
      default -> throw ApiException.badRequest(field + ": datatype must be one of FP32, FP64, INT64, INT32, BOOL; got "
          + (name == null ? "none" : "`" + name + "`"));
    };
  }
}
