package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: readiness false and 503 for new requests at once; in-flight requests finish. */
class ShutdownTest {

  @Test
  void shutdownDrainsInFlightRequests() throws Exception {
    InferenceServer server = Http.serve(ServeOptions.defaults().withGracePeriod(Duration.ofSeconds(20)));
    String url = server.url();
    CompletableFuture<HttpResponse<byte[]>> running = CompletableFuture.supplyAsync(() -> {
      try {
        return Http.post(url + "/v2/models/mnist-unet/generate", "{\"sampler\":\"ddim\",\"steps\":150,\"count\":4}");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // in flight means past the draining check: the generate holds one of the loop slots
    while (server.generateSlots().availablePermits() == server.options().maxQueueSize()) {
      Thread.sleep(5);
    }
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::shutdown);
    while (!server.draining()) {
      Thread.sleep(1);
    }
    assertThat(Http.get(url + "/v2/health/ready").statusCode()).isEqualTo(503);
    ProtocolTest.assertError(Http.post(url + "/v2/models/quickstart-8gaussians/infer", Http.gaussiansRequest(1, 0)),
        503, "shutting down");
    assertThat(running).as("the in-flight generate").isNotDone();
    HttpResponse<byte[]> r = running.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.json(r).get("outputs").get(0).get("shape").toString()).isEqualTo("[4,1,28,28]");
    stopping.get();
  }
}
