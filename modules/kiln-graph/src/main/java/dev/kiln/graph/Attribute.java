package dev.kiln.graph;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Arrays;

/** A node attribute value. */
public sealed interface Attribute {

  record Int(long value) implements Attribute {}

  record Float(float value) implements Attribute {}

  record Str(String value) implements Attribute {}

  record Tensor(TensorProto value) implements Attribute {}

  /** A sub-graph (the body of Loop/If/Scan), stored as written. */
  record SubGraph(GraphProto value) implements Attribute {}

  record Ints(long[] value) implements Attribute {
    @Override
    public boolean equals(Object o) {
      return o instanceof Ints other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return Arrays.toString(value);
    }
  }

  record Floats(float[] value) implements Attribute {
    @Override
    public boolean equals(Object o) {
      return o instanceof Floats other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return Arrays.toString(value);
    }
  }

  static Attribute of(long v) {
    return new Int(v);
  }

  static Attribute of(float v) {
    return new Float(v);
  }

  static Attribute of(String v) {
    return new Str(v);
  }

  static Attribute of(long... v) {
    return new Ints(v.clone());
  }

  static Attribute ofInts(int... v) {
    return new Ints(Arrays.stream(v).asLongStream().toArray());
  }
}
