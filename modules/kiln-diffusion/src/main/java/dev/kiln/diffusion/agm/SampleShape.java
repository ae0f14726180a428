package dev.kiln.diffusion.agm;

import java.util.List;

/** Checks and sizes of the {@code sample_shape} field of the flattened-MLP architectures. */
final class SampleShape {

  private SampleShape() {}

  static List<Integer> of(List<Integer> shape, String architecture) {
    List<Integer> s = shape == null ? List.of(2) : List.copyOf(shape);
    if (s.isEmpty() || s.stream().anyMatch(d -> d == null || d < 1)) {
      throw new IllegalArgumentException(architecture + " field `sample_shape` must be a non-empty list of positive"
          + " sizes, got " + shape);
    }
    return s;
  }

  static long[] dims(List<Integer> shape) {
    return shape.stream().mapToLong(Integer::longValue).toArray();
  }

  /** {@code [0, ...shape]}: a Reshape target that keeps the batch. */
  static long[] batched(List<Integer> shape) {
    long[] s = new long[shape.size() + 1];
    for (int i = 0; i < shape.size(); i++) {
      s[i + 1] = shape.get(i);
    }
    return s;
  }

  static long elements(List<Integer> shape) {
    return shape.stream().mapToLong(Integer::longValue).reduce(1, Math::multiplyExact);
  }
}
