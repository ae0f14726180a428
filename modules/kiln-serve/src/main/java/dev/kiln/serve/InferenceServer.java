package dev.kiln.serve;

import dev.kiln.spi.Providers;
import dev.kiln.spi.SamplerProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code kiln serve}: the Open Inference Protocol (KServe V2) over HTTP for every model of a
 * {@link ModelRepository}, on Jetty's core server. Infer calls of one model go through one
 * {@link Batcher} (dynamic batching); the denoiser calls of concurrent generate requests through
 * another (step-level batching). {@link #shutdown} drains: readiness turns false, new requests get 503,
 * in-flight ones finish within the grace period.
 */
public final class InferenceServer implements AutoCloseable {

  private final ModelRepository repository;
  private final ServeOptions options;
  private final ServerMetrics metrics = new ServerMetrics();
  private final Map<String, SamplerProvider<?>> samplers;
  private final Map<String, Batcher> inferBatchers = new LinkedHashMap<>();
  private final Map<String, Batcher> stepBatchers = new LinkedHashMap<>();
  /** Step batchers of folder models' calls, by model and call, made at each call's first loop. */
  private final Map<String, Batcher> folderStepBatchers = new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService loops = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "kiln-generate");
    t.setDaemon(true);
    return t;
  });
  private final Semaphore generateSlots;
  private final ClientProbe clientProbe = new ClientProbe();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Consumer<String> accessLog;
  private final Server server;
  private volatile boolean draining;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param accessLog where each request's JSON access-log line goes
   */
  public InferenceServer(ModelRepository repository, ServeOptions options, Consumer<String> accessLog) {
    this.repository = repository;
    this.options = options;
    this.accessLog = accessLog;
    this.samplers = Providers.load(SamplerProvider.class);
    this.generateSlots = new Semaphore(options.maxQueueSize());
    for (ServedModel m : repository.models()) {
      if (m.folder() != null) {
        continue; // a folder model answers generate only, with no one session to batch
      }
      inferBatchers.put(m.name(), new Batcher(m.name(), m.session()::run, m.batchable(), options.maxBatchSize(),
          options.maxQueueDelayMicros(), options.maxQueueSize(), metrics.listener(m.name())));
      if (m.generative() != null && options.stepBatching()) {
        stepBatchers.put(m.name(), new Batcher(m.name() + "-steps", m.session()::run, true,
            options.maxBatchSize(), Math.max(options.maxQueueDelayMicros(), ServeOptions.STEP_ROUND_WAIT_MICROS),
            options.maxQueueSize(),
            metrics.listener(m.name())));
      }
    }
    metrics.queueDepths(() -> {
      Map<String, Integer> depths = new LinkedHashMap<>();
      repository.models().forEach(m -> depths.put(m.name(), depth(m.name())));
      return depths;
    });
    QueuedThreadPool threads = new QueuedThreadPool(256, 8);
    threads.setName("kiln-http");
    threads.setDaemon(true);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    server.addConnector(connector);
    server.setHandler(new V2Handler(this));
    server.setErrorHandler((request, response, callback) -> {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      String reason = org.eclipse.jetty.http.HttpStatus.getMessage(response.getStatus());
      response.write(true, java.nio.ByteBuffer.wrap(InferCodec.error(reason).clone()), callback);
      return true;
    });
    server.setStopTimeout(options.gracePeriod().toMillis());
  }

  /** Starts listening. */
  public InferenceServer start() throws Exception {
    server.start();
    return this;
  }

  /** The port listened on (the chosen one when the options said 0). */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** {@code http://host:port}. */
  public String url() {
    return "http://" + options.host() + ":" + port();
  }

  /**
   * Drains and stops: readiness false and 503 for new requests at once, then waits for in-flight
   * requests up to the grace period, then closes.
   */
  public void shutdown() {
    draining = true;
    long deadline = System.nanoTime() + options.gracePeriod().toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
  }

  /** Blocks until the server has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() {
    draining = true;
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.stop();
    } catch (Exception e) {
      System.getLogger("dev.kiln.serve").log(System.Logger.Level.WARNING, "stopping the server: " + e);
    }
    inferBatchers.values().forEach(Batcher::close);
    stepBatchers.values().forEach(Batcher::close);
    folderStepBatchers.values().forEach(Batcher::close);
    loops.shutdownNow();
    clientProbe.close();
    repository.close();
  }

  ModelRepository repository() {
    return repository;
  }

  ServeOptions options() {
    return options;
  }

  ServerMetrics metrics() {
    return metrics;
  }

  Map<String, SamplerProvider<?>> samplers() {
    return samplers;
  }

  Batcher inferBatcher(String model) {
    return inferBatchers.get(model);
  }

  /** The step batcher of a generative model, or null when step-level batching is off. */
  Batcher stepBatcher(String model) {
    return stepBatchers.get(model);
  }

  /**
   * The step batcher of call {@code call} of folder model {@code model}, made at its first use with
   * {@code direct} (the folder model's own run of that call); null when step-level batching is off.
   */
  Batcher folderStepBatcher(String model, String call, Batcher.Runner direct) {
    if (!options.stepBatching() || closed.get()) {
      return null;
    }
    return folderStepBatchers.computeIfAbsent(model + "/" + call, k -> new Batcher(k + "-steps", direct, true,
        options.maxBatchSize(), Math.max(options.maxQueueDelayMicros(), ServeOptions.STEP_ROUND_WAIT_MICROS),
        options.maxQueueSize(), metrics.listener(model)));
  }

  ExecutorService loops() {
    return loops;
  }

  ClientProbe clientProbe() {
    return clientProbe;
  }

  Semaphore generateSlots() {
    return generateSlots;
  }

  boolean draining() {
    return draining;
  }

  AtomicInteger inFlight() {
    return inFlight;
  }

  private int depth(String model) {
    Batcher b = inferBatchers.get(model);
    Batcher s = stepBatchers.get(model);
    int folder = folderStepBatchers.entrySet().stream().filter(e -> e.getKey().startsWith(model + "/"))
        .mapToInt(e -> e.getValue().depth()).sum();
    return (b == null ? 0 : b.depth()) + (s == null ? 0 : s.depth()) + folder;
  }

  /** Writes the access-log line of a finished exchange and records its metrics. */
  void finished(Exchange x) {
    inFlight.decrementAndGet();
    metrics.request(x.model, x.endpoint, x.status, x.nanos());
    StringBuilder sb = new StringBuilder(160);
    sb.append("{\"time\":\"").append(java.time.Instant.now()).append("\",\"remote\":\"")
        .append(org.eclipse.jetty.server.Request.getRemoteAddr(x.request)).append("\",\"method\":\"")
        .append(x.method()).append("\",\"path\":").append(quote(x.path())).append(",\"status\":").append(x.status)
        .append(",\"bytes\":").append(x.bytes).append(",\"ms\":")
        .append(String.format(java.util.Locale.ROOT, "%.3f", x.nanos() / 1e6));
    if (x.model != null) {
      sb.append(",\"model\":").append(quote(x.model));
    }
    accessLog.accept(sb.append('}').toString());
  }

  private static String quote(String s) {
    return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }
}
