package dev.kiln.serve;

import dev.kiln.runtime.Tensor;
import java.nio.ByteBuffer;
import java.util.List;

/** Tensors joined and cut along their first dim: the rows of several requests in one call and back. */
final class Rows {

  private Rows() {}

  /** {@code parts [n_i, ...]} (same dtype and trailing dims) joined into {@code [Σ n_i, ...]}. */
  static Tensor concat(List<Tensor> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    long[] shape = parts.get(0).shape();
    long rows = 0;
    for (Tensor p : parts) {
      rows += p.dim(0);
    }
    shape[0] = rows;
    Tensor out = Tensor.zeros(parts.get(0).dtype(), shape);
    ByteBuffer dst = out.buffer().duplicate();
    dst.clear();
    for (Tensor p : parts) {
      ByteBuffer src = p.buffer().duplicate();
      src.clear();
      dst.put(src);
    }
    return out;
  }

  /** Rows {@code from .. from + count} of {@code t [n, ...]} as a new tensor {@code [count, ...]}. */
  static Tensor slice(Tensor t, long from, long count) {
    long[] shape = t.shape();
    long rowBytes = shape[0] == 0 ? 0 : t.buffer().capacity() / shape[0];
    shape[0] = count;
    Tensor out = Tensor.zeros(t.dtype(), shape);
    ByteBuffer src = t.buffer().duplicate();
    src.clear();
    src.position((int) (from * rowBytes)).limit((int) ((from + count) * rowBytes));
    ByteBuffer dst = out.buffer().duplicate();
    dst.clear();
    dst.put(src);
    return out;
  }
}
