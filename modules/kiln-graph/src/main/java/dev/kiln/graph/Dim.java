package dev.kiln.graph;

/**
 * One tensor dimension: a known size, or {@code coefficient × symbol} for a size known only at run
 * time (the symbolic batch {@code N}, or {@code 64*N} after flattening tokens into the batch).
 *
 * @param coefficient the size when {@code symbol} is null, else the factor in front of the symbol
 * @param symbol the run-time symbol, or null for a static dimension
 */
public record Dim(long coefficient, String symbol) {

  private static long unknownCounter;

  public Dim {
    if (symbol == null && coefficient < 0) {
      throw new IllegalArgumentException("dimension must be >= 0, got " + coefficient);
    }
    if (symbol != null && coefficient < 1) {
      throw new IllegalArgumentException("symbolic dimension needs a coefficient >= 1, got " + coefficient);
    }
  }

  /** A static dimension. */
  public static Dim of(long size) {
    return new Dim(size, null);
  }

  /** A symbolic dimension such as the batch {@code N}. */
  public static Dim symbol(String name) {
    return new Dim(1, name);
  }

  /** A fresh symbol for a size that static inference cannot tell. */
  public static synchronized Dim unknown() {
    return new Dim(1, "unk" + (++unknownCounter));
  }

  /** Whether the size is known when the graph is built. */
  public boolean isStatic() {
    return symbol == null;
  }

  /** The static size; throws for a symbolic dimension. */
  public long size() {
    if (symbol != null) {
      throw new IllegalStateException("dimension " + this + " is symbolic");
    }
    return coefficient;
  }

  /** Whether this is the static size {@code n}. */
  public boolean is(long n) {
    return symbol == null && coefficient == n;
  }

  /** This dimension times another; a product of two symbols becomes a fresh unknown. */
  public Dim times(Dim other) {
    if (isStatic() && other.isStatic()) {
      return of(coefficient * other.coefficient);
    }
    if (isStatic()) {
      return coefficient == 0 ? of(0) : new Dim(coefficient * other.coefficient, other.symbol);
    }
    if (other.isStatic()) {
      return other.coefficient == 0 ? of(0) : new Dim(coefficient * other.coefficient, symbol);
    }
    return unknown();
  }

  /** This dimension divided by another when the quotient is exact, else null. */
  public Dim dividedBy(Dim other) {
    if (other.isStatic()) {
      long d = other.coefficient;
      if (d == 0 || coefficient % d != 0) {
        return null;
      }
      return isStatic() ? of(coefficient / d) : new Dim(coefficient / d, symbol);
    }
    if (!isStatic() && symbol.equals(other.symbol) && coefficient % other.coefficient == 0) {
      return of(coefficient / other.coefficient);
    }
    return null;
  }

  @Override
  public String toString() {
    if (symbol == null) {
      return Long.toString(coefficient);
    }
    return coefficient == 1 ? symbol : coefficient + "*" + symbol;
  }

  /** Parses what {@link #toString()} writes (used for ONNX {@code dim_param}). */
  public static Dim parse(String text) {
    int star = text.indexOf('*');
    if (star > 0) {
      try {
        return new Dim(Long.parseLong(text.substring(0, star)), text.substring(star + 1));
      } catch (NumberFormatException e) {
        return symbol(text);
      }
    }
    return symbol(text);
  }
}
