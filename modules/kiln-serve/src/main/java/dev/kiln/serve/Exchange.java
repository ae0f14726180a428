package dev.kiln.serve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One HTTP request and its answer: the body read within the size limit, the answer written once, and
 * a line in the access log when it is done.
 */
final class Exchange {

  final Request request;
  final Response response;
  private final Callback callback;
  private final long start = System.nanoTime();
  private final Consumer<Exchange> done;
  String model;
  String endpoint = "other";
  int status;
  long bytes;
  private volatile boolean gone;

  private final ClientProbe probe;

  Exchange(Request request, Response response, Callback callback, ClientProbe probe, Consumer<Exchange> done) {
    this.request = request;
    this.probe = probe;
    this.response = response;
    this.callback = callback;
    this.done = done;
    request.addFailureListener(t -> gone = true);
  }

  String method() {
    return request.getMethod();
  }

  String path() {
    return Request.getPathInContext(request);
  }

  long nanos() {
    return System.nanoTime() - start;
  }

  /** Whether the client is still connected (asked of the socket itself; see {@link ClientProbe}). */
  boolean clientConnected() {
    if (gone) {
      return false;
    }
    EndPoint e = request.getConnectionMetaData().getConnection().getEndPoint();
    if (probe.closed(e)) {
      gone = true;
    }
    return !gone;
  }

  /** The body, at most {@code limit} bytes (413 above). */
  byte[] body(long limit) throws java.io.IOException {
    long declared = request.getLength();
    if (declared > limit) {
      throw new ApiException(413, "the request body of " + declared + " bytes exceeds the server's limit of "
          + limit);
    }
    byte[] b = Request.asInputStream(request).readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    if (b.length > limit) {
      throw new ApiException(413, "the request body exceeds the server's limit of " + limit + " bytes");
    }
    return b;
  }

  /** Answers with {@code body} of {@code contentType}. */
  void send(int code, String contentType, byte[] body) {
    status = code;
    bytes = body.length;
    response.setStatus(code);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(body), Callback.from(this::finished, this::failed));
  }

  void json(int code, String json) {
    send(code, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers an error as {@code {"error": ...}} (with {@code Retry-After} when the exception has one). */
  void error(ApiException e) {
    if (e.retryAfterSeconds() > 0) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
    }
    send(e.status(), "application/json", InferCodec.error(e.getMessage()));
  }

  /** Sends a chunk of a streamed answer and waits until it is written. */
  void stream(String chunk) throws Exception {
    byte[] b = chunk.getBytes(StandardCharsets.UTF_8);
    bytes += b.length;
    Callback.Completable c = new Callback.Completable();
    response.write(false, ByteBuffer.wrap(b), c);
    c.get();
  }

  /** Ends a streamed answer. */
  void endStream() {
    response.write(true, ByteBuffer.allocate(0), Callback.from(this::finished, this::failed));
  }

  private void finished() {
    callback.succeeded();
    done.accept(this);
  }

  private void failed(Throwable t) {
    callback.failed(t);
    done.accept(this);
  }
}
