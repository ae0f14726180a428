package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.nerf.ssd.SsdNerfExport;
import dev.kiln.nerf.ssd.SsdNerfFolderModels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  private static int ddimSteps;

  @BeforeAll
  static void exportAndServe() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path folder = new SsdNerfFolderModels().writeExample(repo);
    ddimSteps = SsdNerfExport.load(folder).config().reconstruction().ddimSteps();
    server = Http.serve(repo, ServeOptions.defaults());
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
    FolderServing.Counted n = FolderServing.aloneThenTogether(server, "ssdnerf-example", bodies,
        NerfGenerateTest::images);
    assertThat(n.calls()).as("denoiser calls of 6 requests, one per DDIM step").isEqualTo(6 * ddimSteps);
    assertThat(n.runs()).as("ONNX Runtime runs for %s calls", n.calls()).isLessThan(n.calls());
  }

  private static List<JsonNode> images(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode out = Http.json(r).get("outputs").get(0);
    assertThat(out.get("name").asText()).isEqualTo("images");
    return List.of(out.get("shape"), out.get("data"));
  }
}
