package dev.kiln.serve;

/**
 * A request the server refuses, with the HTTP status and a message for the client. The message names
 * what was wrong ("input `x`: shape [1, 28, 28] has 3 dims, the model takes 4"); it never carries a
 * stack trace.
 */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final long retryAfterSeconds;

  public ApiException(int status, String message) {
    this(status, message, 0);
  }

  private ApiException(int status, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 400: the request is malformed. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  /** 404: no such model or endpoint. */
  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  /** 429: the queue is full; the client should retry after {@code seconds}. */
  public static ApiException tooBusy(String message, long seconds) {
    return new ApiException(429, message, seconds);
  }

  /** 503: the server is shutting down. */
  public static ApiException unavailable(String message) {
    return new ApiException(503, message);
  }

  public int status() {
    return status;
  }

  /** Seconds for a {@code Retry-After} header; 0 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
