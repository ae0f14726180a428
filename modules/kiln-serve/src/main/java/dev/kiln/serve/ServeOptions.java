package dev.kiln.serve;

import java.time.Duration;

/**
 * How the server listens, batches and limits requests.
 *
 * @param host address to bind (127.0.0.1 unless told otherwise)
 * @param port TCP port (0: any free port)
 * @param maxBatchSize rows merged into one ONNX Runtime call (1: no batching)
 * @param maxQueueDelayMicros the longest a request waits for others to join its batch (a step round of
 *     generate requests waits for every running sampler loop, at most the larger of this and
 *     {@link #STEP_ROUND_WAIT_MICROS})
 * @param maxQueueSize requests waiting per model before new ones get 429
 * @param requestTimeout the longest a request may take, queue included (504 after)
 * @param stepBatching whether concurrent generate requests share each denoiser call
 * @param maxBodyBytes the largest request body accepted (413 above)
 * @param maxTensorElements the most elements one tensor may have (400 above)
 * @param maxGenerateCount the most samples one generate request may ask for
 * @param maxSteps the most sampler steps one generate request may ask for
 * @param token bearer token every model endpoint requires (null: no authentication)
 * @param gracePeriod how long in-flight requests may run on after shutdown begins
 */
public record ServeOptions(String host, int port, int maxBatchSize, long maxQueueDelayMicros, int maxQueueSize,
    Duration requestTimeout, boolean stepBatching, long maxBodyBytes, long maxTensorElements, int maxGenerateCount,
    int maxSteps, String token, Duration gracePeriod) {

  /** The least a step round waits for the sampler loops that have joined it. */
  public static final long STEP_ROUND_WAIT_MICROS = 10_000;

  public ServeOptions {
    require(port >= 0 && port <= 65535, "port must be in 0..65535, got " + port);
    require(maxBatchSize >= 1, "max_batch_size must be >= 1, got " + maxBatchSize);
    require(maxQueueDelayMicros >= 0, "max_queue_delay_us must be >= 0, got " + maxQueueDelayMicros);
    require(maxQueueSize >= 1, "max_queue_size must be >= 1, got " + maxQueueSize);
    require(!requestTimeout.isNegative() && !requestTimeout.isZero(), "the request timeout must be positive");
    require(maxBodyBytes > 0 && maxTensorElements > 0, "size limits must be positive");
    require(maxGenerateCount >= 1 && maxSteps >= 1, "generate limits must be >= 1");
    require(token == null || !token.isBlank(), "the token must not be blank");
  }

  /**
   * Loopback, port 8000, batches of up to 32 rows with no queue delay (as Triton's default: a batch takes
   * what queued while the previous one ran, so a lone request never waits), 256 queued, 30 s timeout,
   * 10 s grace.
   */
  public static ServeOptions defaults() {
    return new ServeOptions("127.0.0.1", 8000, 32, 0, 256, Duration.ofSeconds(30), true, 64L << 20, 1L << 24, 64,
        1000, null, Duration.ofSeconds(10));
  }

  public ServeOptions withAddress(String h, int p) {
    return new ServeOptions(h, p, maxBatchSize, maxQueueDelayMicros, maxQueueSize, requestTimeout, stepBatching,
        maxBodyBytes, maxTensorElements, maxGenerateCount, maxSteps, token, gracePeriod);
  }

  public ServeOptions withBatching(int batch, long delayMicros, int queue) {
    return new ServeOptions(host, port, batch, delayMicros, queue, requestTimeout, stepBatching, maxBodyBytes,
        maxTensorElements, maxGenerateCount, maxSteps, token, gracePeriod);
  }

  public ServeOptions withStepBatching(boolean on) {
    return new ServeOptions(host, port, maxBatchSize, maxQueueDelayMicros, maxQueueSize, requestTimeout, on,
        maxBodyBytes, maxTensorElements, maxGenerateCount, maxSteps, token, gracePeriod);
  }

  public ServeOptions withLimits(long bodyBytes, long tensorElements, Duration timeout) {
    return new ServeOptions(host, port, maxBatchSize, maxQueueDelayMicros, maxQueueSize, timeout, stepBatching,
        bodyBytes, tensorElements, maxGenerateCount, maxSteps, token, gracePeriod);
  }

  public ServeOptions withToken(String t) {
    return new ServeOptions(host, port, maxBatchSize, maxQueueDelayMicros, maxQueueSize, requestTimeout, stepBatching,
        maxBodyBytes, maxTensorElements, maxGenerateCount, maxSteps, t, gracePeriod);
  }

  public ServeOptions withGracePeriod(Duration grace) {
    return new ServeOptions(host, port, maxBatchSize, maxQueueDelayMicros, maxQueueSize, requestTimeout, stepBatching,
        maxBodyBytes, maxTensorElements, maxGenerateCount, maxSteps, token, grace);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
