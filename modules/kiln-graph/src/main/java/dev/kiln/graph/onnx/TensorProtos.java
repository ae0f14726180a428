package dev.kiln.graph.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.kiln.graph.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between Java arrays and ONNX {@code TensorProto}s (little-endian {@code raw_data}). */
public final class TensorProtos {

  private TensorProtos() {}

  /** A tensor of {@code dtype} holding {@code data}, converted element-wise. */
  public static TensorProto of(DType dtype, long[] dims, double... data) {
    checkCount(dims, data.length);
    ByteBuffer b = ByteBuffer.allocate(data.length * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : data) {
      switch (dtype) {
        case FLOAT -> b.putFloat((float) v);
        case DOUBLE -> b.putDouble(v);
        case INT64 -> b.putLong((long) v);
        case INT32 -> b.putInt((int) v);
        case BOOL -> b.put((byte) (v != 0 ? 1 : 0));
        default -> throw new IllegalArgumentException("unsupported type " + dtype);
      }
    }
    return raw(dtype, dims, b.flip());
  }

  public static TensorProto ofFloats(long[] dims, float[] data) {
    checkCount(dims, data.length);
    ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    return raw(DType.FLOAT, dims, b);
  }

  public static TensorProto ofLongs(long[] dims, long[] data) {
    checkCount(dims, data.length);
    ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(data);
    return raw(DType.INT64, dims, b);
  }

  /**
   * A tensor whose {@code raw_data} is the remaining bytes of {@code littleEndian} (read, not
   * consumed).
   */
  public static TensorProto raw(DType dtype, long[] dims, ByteBuffer littleEndian) {
    TensorProto.Builder t = TensorProto.newBuilder().setDataType(dtype.onnxCode());
    for (long d : dims) {
      t.addDims(d);
    }
    return t.setRawData(ByteString.copyFrom(littleEndian.duplicate())).build();
  }

  /** The element count given by the dims. */
  public static long count(TensorProto t) {
    long n = 1;
    for (long d : t.getDimsList()) {
      n *= d;
    }
    return n;
  }

  /** The data as doubles, whatever the element type and storage field. */
  public static double[] toDoubles(TensorProto t) {
    DType dtype = DType.fromOnnx(t.getDataType());
    int n = Math.toIntExact(count(t));
    double[] out = new double[n];
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        out[i] = switch (dtype) {
          case FLOAT -> b.getFloat();
          case DOUBLE -> b.getDouble();
          case INT64 -> b.getLong();
          case INT32 -> b.getInt();
          case BOOL -> b.get();
        };
      }
      return out;
    }
    for (int i = 0; i < n; i++) {
      out[i] = switch (dtype) {
        case FLOAT -> t.getFloatData(i);
        case DOUBLE -> t.getDoubleData(i);
        case INT64 -> t.getInt64Data(i);
        case INT32, BOOL -> t.getInt32Data(i);
      };
    }
    return out;
  }

  /** The data as floats. */
  public static float[] toFloats(TensorProto t) {
    double[] d = toDoubles(t);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** The data as longs (exact for integer types). */
  public static long[] toLongs(TensorProto t) {
    DType dtype = DType.fromOnnx(t.getDataType());
    int n = Math.toIntExact(count(t));
    long[] out = new long[n];
    if (dtype == DType.INT64) {
      if (!t.getRawData().isEmpty()) {
        t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
      } else {
        for (int i = 0; i < n; i++) {
          out[i] = t.getInt64Data(i);
        }
      }
      return out;
    }
    double[] d = toDoubles(t);
    for (int i = 0; i < n; i++) {
      out[i] = (long) d[i];
    }
    return out;
  }

  private static void checkCount(long[] dims, int length) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    if (n != length) {
      throw new IllegalArgumentException("shape " + java.util.Arrays.toString(dims) + " holds " + n
          + " elements, data has " + length);
    }
  }
}
