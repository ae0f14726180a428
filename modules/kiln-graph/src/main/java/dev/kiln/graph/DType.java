package dev.kiln.graph;

/** Element types Kiln graphs use, with their ONNX {@code TensorProto.DataType} codes. */
public enum DType {
  FLOAT(1, 4),
  INT32(6, 4),
  INT64(7, 8),
  BOOL(9, 1),
  DOUBLE(11, 8);

  private final int onnxCode;
  private final int byteSize;

  DType(int onnxCode, int byteSize) {
    this.onnxCode = onnxCode;
    this.byteSize = byteSize;
  }

  /** The {@code TensorProto.DataType} number. */
  public int onnxCode() {
    return onnxCode;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether gradients can flow through values of this type. */
  public boolean isFloating() {
    return this == FLOAT || this == DOUBLE;
  }

  /** The type with the given ONNX code. */
  public static DType fromOnnx(int code) {
    for (DType t : values()) {
      if (t.onnxCode == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("ONNX element type " + code + " is not supported by Kiln"
        + " (supported: float, double, int32, int64, bool)");
  }
}
