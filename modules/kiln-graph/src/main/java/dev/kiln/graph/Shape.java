package dev.kiln.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** An immutable tensor shape whose dimensions may be symbolic. */
public record Shape(List<Dim> dims) {

  public Shape {
    dims = List.copyOf(dims);
  }

  /** A static shape. */
  public static Shape of(long... sizes) {
    List<Dim> d = new ArrayList<>(sizes.length);
    for (long s : sizes) {
      d.add(Dim.of(s));
    }
    return new Shape(d);
  }

  /** A shape from dimensions. */
  public static Shape of(Dim... dims) {
    return new Shape(Arrays.asList(dims));
  }

  /** The scalar shape {@code []}. */
  public static Shape scalar() {
    return new Shape(List.of());
  }

  /** A shape whose leading dimension is the symbol {@code batch} and the rest static. */
  public static Shape batched(String batch, long... rest) {
    List<Dim> d = new ArrayList<>(rest.length + 1);
    d.add(Dim.symbol(batch));
    for (long s : rest) {
      d.add(Dim.of(s));
    }
    return new Shape(d);
  }

  public int rank() {
    return dims.size();
  }

  /** Dimension {@code i}; negative indices count from the end. */
  public Dim dim(int i) {
    return dims.get(i < 0 ? i + dims.size() : i);
  }

  /** Whether every dimension is static. */
  public boolean isStatic() {
    return dims.stream().allMatch(Dim::isStatic);
  }

  /** The static sizes; throws if any dimension is symbolic. */
  public long[] sizes() {
    long[] s = new long[dims.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = dims.get(i).size();
    }
    return s;
  }

  /** Product of all dimensions (symbolic if any dimension is). */
  public Dim numel() {
    Dim n = Dim.of(1);
    for (Dim d : dims) {
      n = n.times(d);
    }
    return n;
  }

  /** Static element count; throws if any dimension is symbolic. */
  public long size() {
    return numel().size();
  }

  /** A copy with dimension {@code i} replaced. */
  public Shape with(int i, Dim d) {
    List<Dim> copy = new ArrayList<>(dims);
    copy.set(i < 0 ? i + dims.size() : i, d);
    return new Shape(copy);
  }

  /** Dimensions {@code from} (inclusive) to {@code to} (exclusive). */
  public Shape slice(int from, int to) {
    return new Shape(dims.subList(from, to));
  }

  /** This shape followed by {@code other}. */
  public Shape concat(Shape other) {
    List<Dim> d = new ArrayList<>(dims);
    d.addAll(other.dims);
    return new Shape(d);
  }

  /** The same shape with every symbol replaced by a size from {@code batch} (for running). */
  public long[] resolve(java.util.Map<String, Long> symbols) {
    long[] s = new long[dims.size()];
    for (int i = 0; i < s.length; i++) {
      Dim d = dims.get(i);
      if (d.isStatic()) {
        s[i] = d.size();
      } else {
        Long v = symbols.get(d.symbol());
        if (v == null) {
          throw new IllegalArgumentException("no size given for symbol " + d.symbol() + " in shape " + this);
        }
        s[i] = d.coefficient() * v;
      }
    }
    return s;
  }

  @Override
  public String toString() {
    return dims.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
  }
}
