package dev.kiln.serve;

import dev.kiln.graph.DType;
import java.util.Arrays;

/**
 * A model input or output as the protocol describes it: name, datatype and shape, -1 for a dynamic dim.
 *
 * @param name the tensor's name in the graph
 * @param dtype its element type
 * @param shape its dims, -1 where the graph has a symbolic dim
 */
public record TensorSpec(String name, DType dtype, long[] shape) {

  public TensorSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Whether the first dim is dynamic, so requests can be merged along it. */
  public boolean batched() {
    return shape.length > 0 && shape[0] == -1;
  }

  /** The protocol's name of the datatype ({@code FP32}, {@code INT64}, …). */
  public String datatype() {
    return Datatypes.name(dtype);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec s && s.name.equals(name) && s.dtype == dtype && Arrays.equals(s.shape, shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + datatype() + Arrays.toString(shape);
  }
}
