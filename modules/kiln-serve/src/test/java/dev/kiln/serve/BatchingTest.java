package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.Tensor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dynamic and step-level batching change nothing but speed: concurrent requests get what they get
 * alone, and the metrics show they shared ONNX Runtime runs.
 */
class BatchingTest {

  private static InferenceServer server;
  private static ExecutorService pool;

  @BeforeAll
  static void start() throws Exception {
    server = Http.serve(ServeOptions.defaults().withBatching(64, 20_000, 256));
    pool = Executors.newFixedThreadPool(16);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    server.close();
  }

  @Test
  void concurrentInferRequestsGetTheirUnbatchedOutputs() throws Exception {
    ServedModel model = server.repository().get("quickstart-8gaussians");
    List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String body = Http.gaussiansRequest(1 + i % 4, i * 0.25);
      bodies.add(body);
      answers.add(pool.submit(() -> Http.post(server.url() + "/v2/models/quickstart-8gaussians/infer", body)));
    }
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<byte[]> r = answers.get(i).get();
      assertThat(r.statusCode()).isEqualTo(200);
      InferCodec.Request req = InferCodec.parse(bodies.get(i).getBytes(StandardCharsets.UTF_8), null, model, 1000);
      Tensor alone = model.session().run(req.inputs()).get("out");
      Tensor served = KilnClient.tensors(Http.json(r)).get("out");
      for (int k = 0; k < alone.size(); k++) {
        assertThat(served.getFloat(k)).isCloseTo(alone.getFloat(k), org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
    String metrics = new String(Http.get(server.url() + "/metrics").body(), StandardCharsets.UTF_8);
    double calls = metric(metrics, "kiln_inference_count_total\\{model=\"quickstart-8gaussians\"}");
    double runs = metric(metrics, "kiln_inference_exec_count_total\\{model=\"quickstart-8gaussians\"}");
    assertThat(calls).isEqualTo(24);
    assertThat(runs).as("runs for 24 concurrent calls").isLessThan(24);
  }

  @Test
  void generateIsBitIdenticalAloneAndInABatch() throws Exception {
    String[] requests = {
        "{\"sampler\":\"ddim\",\"steps\":6,\"seed\":1,\"label\":3}",
        "{\"sampler\":\"ddim\",\"steps\":9,\"seed\":2,\"count\":2}",
        "{\"sampler\":\"dpmpp-2m\",\"steps\":5,\"seed\":3,\"label\":8,\"guidance\":2}",
        "{\"sampler\":\"ddpm\",\"steps\":7,\"seed\":4,\"label\":1}",
        "{\"sampler\":\"ddim\",\"steps\":4,\"seed\":5,\"label\":0,\"count\":3}",
        "{\"sampler\":\"euler\",\"steps\":8,\"seed\":6,\"label\":5}"};
    String url = server.url() + "/v2/models/mnist-unet/generate";
    List<byte[]> alone = new ArrayList<>();
    for (String r : requests) {
      alone.add(samples(Http.post(url, r)));
    }
    double runsBefore = metric(new String(Http.get(server.url() + "/metrics").body(), StandardCharsets.UTF_8),
        "kiln_inference_exec_count_total\\{model=\"mnist-unet\"}");
    double callsBefore = metric(new String(Http.get(server.url() + "/metrics").body(), StandardCharsets.UTF_8),
        "kiln_inference_count_total\\{model=\"mnist-unet\"}");
    List<Future<HttpResponse<byte[]>>> together = new ArrayList<>();
    for (String r : requests) {
      together.add(pool.submit(() -> Http.post(url, r)));
    }
    for (int i = 0; i < requests.length; i++) {
      assertThat(samples(together.get(i).get())).as(requests[i]).isEqualTo(alone.get(i));
    }
    String metrics = new String(Http.get(server.url() + "/metrics").body(), StandardCharsets.UTF_8);
    double runs = metric(metrics, "kiln_inference_exec_count_total\\{model=\"mnist-unet\"}") - runsBefore;
    double calls = metric(metrics, "kiln_inference_count_total\\{model=\"mnist-unet\"}") - callsBefore;
    assertThat(calls).isEqualTo(6 + 9 + 5 * 2 + 7 + 4 + 8);
    assertThat(runs).as("denoiser runs shared by %s calls", calls).isLessThan(calls * 0.7);
  }

  @Test
  void aFullQueueAnswers429WithRetryAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    Batcher b = new Batcher("full", (in, out) -> {
      running.countDown();
      await(release);
      return Map.of("out", in.get("x"));
    }, true, 1, 0, 2, server.metrics().listener("full"));
    try {
      Map<String, Tensor> in = Map.of("x", Tensor.of(new float[] {1}, 1));
      inBackground(() -> b.submit(in, Set.of("out"), () -> true));
      running.await();
      b.submit(in, Set.of("out"), () -> true);
      b.submit(in, Set.of("out"), () -> true);
      assertThatThrownBy(() -> b.submit(in, Set.of("out"), () -> true)).isInstanceOfSatisfying(ApiException.class,
          e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterSeconds()).isEqualTo(1);
          });
    } finally {
      release.countDown();
      b.close();
    }
  }

  @Test
  void aCallWhoseClientWentAwayIsDroppedUnrun() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    Batcher b = new Batcher("gone", (in, out) -> {
      runs.incrementAndGet();
      running.countDown();
      await(release);
      return Map.of("out", in.get("x"));
    }, true, 8, 0, 8, server.metrics().listener("gone"));
    try {
      Map<String, Tensor> in = Map.of("x", Tensor.of(new float[] {1}, 1));
      CompletableFuture<CompletableFuture<Map<String, Tensor>>> first =
          inBackground(() -> b.submit(in, Set.of("out"), () -> true));
      running.await();
      CompletableFuture<Map<String, Tensor>> gone = b.submit(in, Set.of("out"), () -> false);
      release.countDown();
      first.get().get();
      assertThat(gone).failsWithin(java.time.Duration.ofSeconds(5));
      assertThat(gone.isCancelled()).isTrue();
      assertThat(runs.get()).isEqualTo(1);
    } finally {
      b.close();
    }
  }

  @Test
  void aLoneCallOnAnIdleModelRunsOnTheCallersThreadAndLaterArrivalsAreMerged() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstRunning = new CountDownLatch(1);
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    List<Long> rowsPerRun = Collections.synchronizedList(new ArrayList<>());
    Batcher b = new Batcher("idle", (in, out) -> {
      threads.add(Thread.currentThread().getName());
      rowsPerRun.add(in.get("x").dim(0));
      firstRunning.countDown();
      await(release);
      return Map.of("out", in.get("x"));
    }, true, 8, 100_000, 8, server.metrics().listener("idle"));
    try {
      Map<String, Tensor> in = Map.of("x", Tensor.of(new float[] {1}, 1));
      CompletableFuture<CompletableFuture<Map<String, Tensor>>> lone =
          inBackground(() -> b.submit(in, Set.of("out"), () -> true));
      firstRunning.await();
      List<CompletableFuture<Map<String, Tensor>>> later = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        later.add(b.submit(in, Set.of("out"), () -> true));
      }
      assertThat(later).as("calls that arrive while the model runs wait for it").noneMatch(CompletableFuture::isDone);
      release.countDown();
      lone.get().get();
      for (CompletableFuture<Map<String, Tensor>> f : later) {
        f.get();
      }
      assertThat(threads.get(0)).startsWith("idle-caller");
      assertThat(threads.subList(1, threads.size())).allMatch(t -> t.equals("kiln-batcher-idle"));
      assertThat(rowsPerRun).containsExactly(1L, 3L);
    } finally {
      b.close();
    }
  }

  private static <T> CompletableFuture<T> inBackground(java.util.function.Supplier<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(work.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    }, "idle-caller");
    t.setDaemon(true);
    t.start();
    return f;
  }

  @Test
  void aRequestPastTheTimeoutIsA504() throws Exception {
    try (InferenceServer quick = Http.serve(ServeOptions.defaults().withLimits(1 << 20, 1 << 20,
        java.time.Duration.ofMillis(50)))) {
      HttpResponse<byte[]> r = Http.post(quick.url() + "/v2/models/mnist-unet/generate", "{\"steps\":500}");
      ProtocolTest.assertError(r, 504, "timeout");
    }
  }

  private static byte[] samples(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode n = Http.json(r);
    return n.get("outputs").get(0).get("data").toString().getBytes(StandardCharsets.UTF_8);
  }

  static double metric(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
