package dev.kiln.runtime;

/** ONNX Runtime refused a model or a run; the message says which and why. */
public class KilnRuntimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KilnRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }

  public KilnRuntimeException(String message) {
    super(message);
  }
}
