package dev.kiln.runtime;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.DType;
import dev.kiln.graph.onnx.TensorProtos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * A host tensor: element type, shape, and row-major data in a direct, native-order buffer. ONNX
 * Runtime reads and writes such buffers in place, so feeding a tensor to a session or receiving a
 * pinned output copies nothing. Tensors are mutable; {@link #copy()} when you need a snapshot.
 */
public final class Tensor {

  private final DType dtype;
  private final long[] shape;
  private final ByteBuffer buffer;

  private Tensor(DType dtype, long[] shape, ByteBuffer buffer) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.buffer = buffer;
  }

  /** A zero-filled tensor. */
  public static Tensor zeros(DType dtype, long... shape) {
    long n = count(shape);
    if (n * dtype.byteSize() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " exceeds 2 GiB");
    }
    ByteBuffer b = ByteBuffer.allocateDirect((int) n * dtype.byteSize()).order(ByteOrder.nativeOrder());
    return new Tensor(dtype, shape, b);
  }

  /** A float32 tensor holding a copy of {@code data}. */
  public static Tensor of(float[] data, long... shape) {
    Tensor t = zeros(DType.FLOAT, checked(shape, data.length));
    t.floats().put(data);
    return t;
  }

  /** A float64 tensor holding a copy of {@code data}. */
  public static Tensor ofDoubles(double[] data, long... shape) {
    Tensor t = zeros(DType.DOUBLE, checked(shape, data.length));
    t.doubles().put(data);
    return t;
  }

  /** An int64 tensor holding a copy of {@code data}. */
  public static Tensor ofLongs(long[] data, long... shape) {
    Tensor t = zeros(DType.INT64, checked(shape, data.length));
    t.longs().put(data);
    return t;
  }

  /** A tensor of {@code dtype} with {@code data} converted element-wise. */
  public static Tensor of(DType dtype, double[] data, long... shape) {
    Tensor t = zeros(dtype, checked(shape, data.length));
    for (int i = 0; i < data.length; i++) {
      t.set(i, data[i]);
    }
    return t;
  }

  /** A rank-0 tensor. */
  public static Tensor scalar(DType dtype, double value) {
    return of(dtype, new double[] {value});
  }

  /** A tensor with the data of an ONNX {@code TensorProto}. */
  public static Tensor fromProto(TensorProto proto) {
    DType dtype = DType.fromOnnx(proto.getDataType());
    long[] shape = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
    if (dtype == DType.INT64) {
      return ofLongs(TensorProtos.toLongs(proto), shape);
    }
    if (!proto.getRawData().isEmpty()) {
      Tensor t = zeros(dtype, shape);
      ByteBuffer src = proto.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
        t.buffer.duplicate().put(src);
        return t;
      }
    }
    return of(dtype, TensorProtos.toDoubles(proto), shape);
  }

  /** This tensor as an ONNX {@code TensorProto} (raw little-endian data). */
  public TensorProto toProto() {
    ByteBuffer le = ByteBuffer.allocate(buffer.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      le.put(buffer.duplicate().clear());
    } else {
      for (int i = 0; i < size(); i++) {
        switch (dtype) {
          case FLOAT -> le.putFloat(getFloat(i));
          case DOUBLE -> le.putDouble(getDouble(i));
          case INT64 -> le.putLong(getLong(i));
          case INT32 -> le.putInt((int) getLong(i));
          case BOOL -> le.put((byte) getLong(i));
          default -> throw new IllegalStateException();
        }
      }
    }
    return TensorProtos.raw(dtype, shape, le.flip());
  }

  public DType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** Size of dimension {@code i}; negative counts from the end. */
  public long dim(int i) {
    return shape[i < 0 ? i + shape.length : i];
  }

  public int rank() {
    return shape.length;
  }

  /** Number of elements. */
  public int size() {
    return (int) count(shape);
  }

  /** The backing direct buffer (position 0, native order). */
  public ByteBuffer buffer() {
    return buffer.duplicate().order(ByteOrder.nativeOrder()).clear();
  }

  /** A float view of the data; FLOAT only. */
  public FloatBuffer floats() {
    require(DType.FLOAT);
    return buffer().asFloatBuffer();
  }

  /** A double view of the data; DOUBLE only. */
  public DoubleBuffer doubles() {
    require(DType.DOUBLE);
    return buffer().asDoubleBuffer();
  }

  /** A long view of the data; INT64 only. */
  public LongBuffer longs() {
    require(DType.INT64);
    return buffer().asLongBuffer();
  }

  /** Element {@code i} (row-major) as a double, whatever the type. */
  public double get(int i) {
    return switch (dtype) {
      case FLOAT -> buffer.getFloat(i * 4);
      case DOUBLE -> buffer.getDouble(i * 8);
      case INT64 -> buffer.getLong(i * 8);
      case INT32 -> buffer.getInt(i * 4);
      case BOOL -> buffer.get(i);
    };
  }

  public float getFloat(int i) {
    return buffer.getFloat(i * 4);
  }

  public double getDouble(int i) {
    return dtype == DType.DOUBLE ? buffer.getDouble(i * 8) : get(i);
  }

  public long getLong(int i) {
    return dtype == DType.INT64 ? buffer.getLong(i * 8) : (long) get(i);
  }

  /** Sets element {@code i}, converting {@code v} to the element type. */
  public void set(int i, double v) {
    switch (dtype) {
      case FLOAT -> buffer.putFloat(i * 4, (float) v);
      case DOUBLE -> buffer.putDouble(i * 8, v);
      case INT64 -> buffer.putLong(i * 8, (long) v);
      case INT32 -> buffer.putInt(i * 4, (int) v);
      case BOOL -> buffer.put(i, (byte) (v != 0 ? 1 : 0));
      default -> throw new IllegalStateException();
    }
  }

  /** The data as a new double array. */
  public double[] toDoubleArray() {
    double[] out = new double[size()];
    if (dtype == DType.DOUBLE) {
      doubles().get(out);
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = get(i);
      }
    }
    return out;
  }

  /** The data as a new float array. */
  public float[] toFloatArray() {
    float[] out = new float[size()];
    if (dtype == DType.FLOAT) {
      floats().get(out);
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) get(i);
      }
    }
    return out;
  }

  /** The data as a new long array. */
  public long[] toLongArray() {
    long[] out = new long[size()];
    if (dtype == DType.INT64) {
      longs().get(out);
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = (long) get(i);
      }
    }
    return out;
  }

  /** A deep copy. */
  public Tensor copy() {
    Tensor t = zeros(dtype, shape);
    t.buffer.duplicate().clear().put(buffer.duplicate().clear());
    return t;
  }

  /** Overwrites this tensor's data with {@code src}'s (same type and element count). */
  public void copyFrom(Tensor src) {
    if (src.dtype != dtype || src.size() != size()) {
      throw new IllegalArgumentException("cannot copy " + src + " into " + this);
    }
    buffer.duplicate().clear().put(src.buffer.duplicate().clear());
  }

  /** A view with another shape of the same element count, sharing the data. */
  public Tensor reshape(long... newShape) {
    if (count(newShape) != size()) {
      throw new IllegalArgumentException("cannot view " + this + " as " + Arrays.toString(newShape));
    }
    return new Tensor(dtype, newShape, buffer);
  }

  /** Fills every element with {@code v}. */
  public void fill(double v) {
    for (int i = 0; i < size(); i++) {
      set(i, v);
    }
  }

  /** Whether both tensors have the same type, shape and bit-identical data. */
  public boolean contentEquals(Tensor other) {
    return dtype == other.dtype && Arrays.equals(shape, other.shape)
        && buffer.duplicate().clear().equals(other.buffer.duplicate().clear());
  }

  @Override
  public String toString() {
    return "Tensor(" + dtype.name().toLowerCase(java.util.Locale.ROOT) + Arrays.toString(shape) + ")";
  }

  static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n *= d;
    }
    return n;
  }

  private static long[] checked(long[] shape, int length) {
    long[] s = shape.length == 0 && length != 1 ? new long[] {length} : shape;
    if (count(s) != length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + count(s)
          + " elements, data has " + length);
    }
    return s;
  }

  private void require(DType t) {
    if (dtype != t) {
      throw new IllegalStateException("tensor is " + dtype + ", not " + t);
    }
  }
}
