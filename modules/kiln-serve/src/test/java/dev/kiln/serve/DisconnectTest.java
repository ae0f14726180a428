package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plain HTTP/1.1 client that closes its connection while its request waits or runs: the server
 * notices it from the socket (not only when it writes the answer), drops a queued infer call unrun and
 * stops a generate loop at its next step.
 */
class DisconnectTest {

  private InferenceServer server;

  @BeforeEach
  void start() throws Exception {
    server = Http.serve(ServeOptions.defaults());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Sends {@code json} to {@code path} on a fresh connection and leaves the connection open. */
  private Socket send(String path, String json) throws Exception {
    URI u = URI.create(server.url());
    Socket s = new Socket(u.getHost(), u.getPort());
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    OutputStream out = s.getOutputStream();
    out.write(("POST " + path + " HTTP/1.1\r\nHost: " + u.getHost() + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return s;
  }

  private double metric(String name) {
    return BatchingTest.metric(new String(server.metrics().scrape(), StandardCharsets.UTF_8), name);
  }

  private void awaitIdle() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((server.inFlight().get() > 0
        || server.generateSlots().availablePermits() < server.options().maxQueueSize())
        && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(server.inFlight().get()).as("requests still in flight").isZero();
  }

  @Test
  void aGenerateWhoseClientClosedStopsAtItsNextStep() throws Exception {
    int steps = 400;
    try (Socket s = send("/v2/models/mnist-unet/generate",
        "{\"sampler\":\"ddim\",\"steps\":" + steps + ",\"count\":4,\"seed\":3}")) {
      while (metric("kiln_inference_count_total\\{model=\"mnist-unet\"}") < 2) {
        Thread.sleep(2);
      }
    }
    awaitIdle();
    double calls = metric("kiln_inference_count_total\\{model=\"mnist-unet\"}");
    assertThat(calls).as("denoiser calls run of the %d the request asked for", steps).isLessThan(steps / 2.0);
    assertThat(metric("kiln_request_failure_total\\{endpoint=\"generate\",model=\"mnist-unet\",status=\"499\"}"))
        .isEqualTo(1);
  }

  @Test
  void aFolderModelsLoopWhoseClientClosedStopsAtItsNextCall() throws Exception {
    int steps = 1000;
    String calls = "kiln_inference_count_total\\{model=\"planner-sotu\"}";
    try (Socket s = send("/v2/models/planner-sotu/generate",
        "{\"steps\":" + steps + ",\"count\":8,\"seed\":5,\"attribute\":1}")) {
      while (metric(calls) < 2) {
        Thread.sleep(2);
      }
    }
    awaitIdle();
    assertThat(metric(calls)).as("denoiser calls run of the %d the request asked for", steps)
        .isLessThan(steps / 2.0);
    assertThat(metric("kiln_request_failure_total\\{endpoint=\"generate\",model=\"planner-sotu\",status=\"499\"}"))
        .isEqualTo(1);
  }

  @Test
  void aQueuedInferWhoseClientClosedIsDroppedUnrun() throws Exception {
    int rows = 512;
    float[] x = new float[rows * 784];
    float[] t = new float[rows];
    long[] label = new long[rows];
    java.util.Arrays.fill(t, 500);
    String big = InferCodec.JSON.writeValueAsString(Map.of("inputs", List.of(
        Map.of("name", "x", "datatype", "FP32", "shape", new long[] {rows, 1, 28, 28}, "data", x),
        Map.of("name", "t", "datatype", "FP32", "shape", new long[] {rows}, "data", t),
        Map.of("name", "label", "datatype", "INT64", "shape", new long[] {rows}, "data", label))));
    String one = InferCodec.JSON.writeValueAsString(Map.of("inputs", List.of(
        Map.of("name", "x", "datatype", "FP32", "shape", new long[] {1, 1, 28, 28}, "data", new float[784]),
        Map.of("name", "t", "datatype", "FP32", "shape", new long[] {1}, "data", new float[] {500}),
        Map.of("name", "label", "datatype", "INT64", "shape", new long[] {1}, "data", new long[] {3}))));
    String url = server.url() + "/v2/models/mnist-unet/infer";
    CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
      try {
        return Http.post(url, big).statusCode();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // once the big call runs (accepted, not waiting), the small one has to queue behind it
    Batcher batcher = server.inferBatcher("mnist-unet");
    while (batcher.unfinished() == 0 || batcher.depth() > 0) {
      Thread.sleep(1);
    }
    try (Socket s = send("/v2/models/mnist-unet/infer", one)) {
      while (batcher.depth() == 0 && !first.isDone()) {
        Thread.sleep(1);
      }
    }
    assertThat(first.get()).isEqualTo(200);
    awaitIdle();

    assertThat(metric("kiln_inference_dropped_total\\{model=\"mnist-unet\"}")).as("dropped calls").isEqualTo(1);
    assertThat(metric("kiln_inference_count_total\\{model=\"mnist-unet\"}")).as("calls run").isEqualTo(1);
    assertThat(metric("kiln_request_failure_total\\{endpoint=\"infer\",model=\"mnist-unet\",status=\"499\"}"))
        .isEqualTo(1);
  }
}
