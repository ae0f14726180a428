package dev.kiln.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics, per model, in the spirit of Triton's {@code nv_inference_*}: request
 * successes and failures, inferences (calls) and executions (ONNX Runtime runs; their ratio is the mean
 * batch size), queue and compute time, a request latency histogram and the queue depth.
 */
public final class ServerMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter success = Counter.builder().name("kiln_request_success").help(
      "requests answered with 2xx").labelNames("model", "endpoint").register(registry);
  private final Counter failure = Counter.builder().name("kiln_request_failure").help(
      "requests answered with 4xx or 5xx").labelNames("model", "endpoint", "status").register(registry);
  private final Counter inferences = Counter.builder().name("kiln_inference_count").help(
      "model calls run (infer requests, denoiser calls of generate requests)").labelNames("model").register(registry);
  private final Counter rows = Counter.builder().name("kiln_inference_rows").help(
      "rows (batch items) run").labelNames("model").register(registry);
  private final Counter executions = Counter.builder().name("kiln_inference_exec_count").help(
      "ONNX Runtime runs; kiln_inference_count / this is the mean batch size").labelNames("model").register(registry);
  private final Counter dropped = Counter.builder().name("kiln_inference_dropped").help(
      "calls dropped unrun because their client went away or they timed out").labelNames("model").register(registry);
  private final Counter queueSeconds = Counter.builder().name("kiln_queue_duration_seconds").help(
      "time calls waited in the queue").labelNames("model").register(registry);
  private final Counter computeSeconds = Counter.builder().name("kiln_compute_duration_seconds").help(
      "time ONNX Runtime ran, once per execution").labelNames("model").register(registry);
  private final Histogram latency = Histogram.builder().name("kiln_request_duration_seconds").help(
      "request latency, receipt to response").labelNames("model", "endpoint").classicUpperBounds(0.001, 0.002, 0.005,
      0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30).register(registry);

  /** Records a finished request. */
  public void request(String model, String endpoint, int status, long nanos) {
    String m = model == null ? "" : model;
    if (status < 400) {
      success.labelValues(m, endpoint).inc();
    } else {
      failure.labelValues(m, endpoint, Integer.toString(status)).inc();
    }
    latency.labelValues(m, endpoint).observe(nanos / 1e9);
  }

  /** Reports {@code depths} (calls waiting per model) as the gauge {@code kiln_queue_depth} at each scrape. */
  void queueDepths(Supplier<Map<String, Integer>> depths) {
    GaugeWithCallback.builder().name("kiln_queue_depth").help("calls waiting to run").labelNames("model")
        .callback(cb -> depths.get().forEach((model, n) -> cb.call(n, model))).register(registry);
  }

  /** The listener a model's batcher reports to. */
  Batcher.Listener listener(String model) {
    return new Batcher.Listener() {
      @Override
      public void executed(int calls, long n, long queueNanos, long computeNanos) {
        inferences.labelValues(model).inc(calls);
        rows.labelValues(model).inc(n);
        executions.labelValues(model).inc();
        queueSeconds.labelValues(model).inc(queueNanos / 1e9);
        computeSeconds.labelValues(model).inc(computeNanos / 1e9);
      }

      @Override
      public void dropped() {
        dropped.labelValues(model).inc();
      }
    };
  }

  /** The Prometheus text exposition of every metric. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The content type of {@link #scrape}. */
  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
