package dev.kiln.graph;

/** The element type and shape of a value. */
public record TensorType(DType dtype, Shape shape) {

  @Override
  public String toString() {
    return dtype.name().toLowerCase(java.util.Locale.ROOT) + shape;
  }
}
