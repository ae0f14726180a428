package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.nerf.ssd.SsdNerfExport;
import dev.kiln.nerf.ssd.SsdNerfFolderModels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SSDNeRF folder in the repository: its prior's DDIM steps are step-batched across concurrent
 * {@code generate} requests (fewer ONNX Runtime runs than calls), and each request's renders are the
 * ones it gets alone, element for element.
 */
class NerfGenerateTest {

  @TempDir
  static Path dir;

  private static InferenceServer server;
  private static String url;
  private static int ddimSteps;

  @BeforeAll
  static void exportAndServe() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path folder = new SsdNerfFolderModels().writeExample(repo);
    ddimSteps = SsdNerfExport.load(folder).config().reconstruction().ddimSteps();
    server = new InferenceServer(ModelRepository.open(repo, Zoo.backend()),
        ServeOptions.defaults().withAddress("127.0.0.1", 0), line -> { }).start();
    url = server.url() + "/v2/models/ssdnerf-example";
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void concurrentRequestsSharePriorStepsAndGetWhatTheyGetAlone() throws Exception {
    String[] bodies = new String[6];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = "{\"count\":" + (1 + i % 2) + ",\"seed\":" + (20 + i) + ",\"views\":[[" + (30 * i) + ",20]]}";
    }
    List<JsonNode> alone = new ArrayList<>();
    for (String b : bodies) {
      alone.add(images(Http.post(url + "/generate", b)));
    }
    String metrics = server.url() + "/metrics";
    double runsBefore = runs(metrics);
    double callsBefore = calls(metrics);
    ExecutorService pool = Executors.newFixedThreadPool(bodies.length);
    try {
      List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
      for (String b : bodies) {
        answers.add(pool.submit(() -> Http.post(url + "/generate", b)));
      }
      for (int i = 0; i < bodies.length; i++) {
        JsonNode served = images(answers.get(i).get());
        assertThat(served.get("shape")).as(bodies[i]).isEqualTo(alone.get(i).get("shape"));
        assertThat(served.get("data")).as(bodies[i]).isEqualTo(alone.get(i).get("data"));
      }
    } finally {
      pool.shutdownNow();
    }
    double calls = calls(metrics) - callsBefore;
    double runs = runs(metrics) - runsBefore;
    assertThat(calls).as("denoiser calls of 6 requests, one per DDIM step").isEqualTo(6 * ddimSteps);
    assertThat(runs).as("ONNX Runtime runs for %s calls", calls).isLessThan(calls);
  }

  private static double runs(String metrics) throws Exception {
    return BatchingTest.metric(new String(Http.get(metrics).body(), StandardCharsets.UTF_8),
        "kiln_inference_exec_count_total\\{model=\"ssdnerf-example\"}");
  }

  private static double calls(String metrics) throws Exception {
    return BatchingTest.metric(new String(Http.get(metrics).body(), StandardCharsets.UTF_8),
        "kiln_inference_count_total\\{model=\"ssdnerf-example\"}");
  }

  private static JsonNode images(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode out = Http.json(r).get("outputs").get(0);
    assertThat(out.get("name").asText()).isEqualTo("images");
    return out;
  }
}
