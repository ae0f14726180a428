package dev.kiln.graph;

/** A graph that cannot be built as asked: wrong shapes, types, or arguments. */
public class GraphException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GraphException(String message) {
    super(message);
  }

  public GraphException(String message, Throwable cause) {
    super(message, cause);
  }
}
