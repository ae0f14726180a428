package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.spi.GenerationControl;
import dev.kiln.text.planner.TextFolderModels;
import dev.kiln.text.planner.TextModel;
import dev.kiln.text.planner.TextRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exported PLANNER folder in the repository is one model that answers {@code generate} with text: the
 * paragraphs {@code kiln generate} writes for the same fields, as a {@code BYTES} output.
 */
class TextGenerateTest {

  @TempDir
  static Path dir;

  private static Path folder;
  private static InferenceServer server;
  private static String url;

  @BeforeAll
  static void exportAndServe() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    folder = new TextFolderModels().writeExample(repo);
    server = Http.serve(repo, ServeOptions.defaults());
    url = server.url() + "/v2/models/planner-example";
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theFolderIsOneModelWhoseMetadataNamesItsFields() throws Exception {
    JsonNode server = Http.json(Http.get(TextGenerateTest.server.url() + "/v2"));
    assertThat(server.get("models").toString()).isEqualTo("[\"planner-example\"]");
    JsonNode m = Http.json(Http.get(url));
    assertThat(m.get("platform").asText()).isEqualTo("kiln_text");
    assertThat(m.get("parameters").get("kind").asText()).isEqualTo("planner");
    assertThat(m.get("parameters").get("num_classes").asInt()).isEqualTo(3);
    assertThat(m.get("parameters").get("fields").toString()).contains("prefix").contains("attribute");
  }

  @Test
  void generateAnswersTheParagraphsOfKilnGenerate() throws Exception {
    HttpResponse<byte[]> r = Http.post(url + "/generate",
        "{\"id\":\"p1\",\"count\":3,\"seed\":4,\"attribute\":1,\"steps\":5,\"prefix\":\"the nation\"}");
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode answer = Http.json(r);
    assertThat(answer.get("id").asText()).isEqualTo("p1");
    JsonNode text = answer.get("outputs").get(0);
    assertThat(text.get("name").asText()).isEqualTo("text");
    assertThat(text.get("datatype").asText()).isEqualTo("BYTES");
    assertThat(text.get("shape").toString()).isEqualTo("[3]");
    List<String> served = new ArrayList<>();
    text.get("data").forEach(s -> served.add(s.asText()));
    try (TextModel direct = TextModel.open(folder, Zoo.backend())) {
      List<String> expected = direct.generate(new TextRequest(1, "the nation", 3, 4, 1, 5, 0, 0)).stream()
          .map(t -> "the nation " + t).toList();
      assertThat(served).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void streamingSendsADenoiserStepPerEventThenTheResult() throws Exception {
    HttpResponse<byte[]> r = Http.post(url + "/generate_stream", "{\"count\":1,\"seed\":1,\"steps\":3}");
    String events = new String(r.body(), StandardCharsets.UTF_8);
    // guidance 1 by default: one denoiser call per DDIM step, then the decoder's prefill and steps
    assertThat(events).startsWith("event: progress\ndata: {\"call\":\"denoiser\",\"step\":1,\"steps\":3}")
        .contains("{\"call\":\"denoiser\",\"step\":3,\"steps\":3}")
        .doesNotContain("{\"call\":\"denoiser\",\"step\":4")
        .contains("{\"call\":\"decoder-prefill\",\"step\":1,\"steps\":1}")
        .contains("{\"call\":\"decoder-step\",\"step\":1,");
    assertThat(events.indexOf("decoder-prefill")).as("the decoder runs after the denoiser")
        .isGreaterThan(events.indexOf("\"step\":3,\"steps\":3"));
    assertThat(events.substring(events.indexOf("event: result"))).startsWith("event: result\ndata: {")
        .contains("\"datatype\":\"BYTES\"");
  }

  @Test
  void concurrentRequestsShareDenoiserRunsAndGetWhatTheyGetAlone() throws Exception {
    String[] bodies = new String[8];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = "{\"count\":" + (1 + i % 3) + ",\"seed\":" + (10 + i) + ",\"steps\":6,\"attribute\":" + (i % 3)
          + (i % 2 == 0 ? ",\"prefix\":\"the people\"" : "") + (i % 4 == 1 ? ",\"guidance\":2.5" : "") + "}";
    }
    FolderServing.Counted n = FolderServing.aloneThenTogether(server, "planner-example", bodies,
        TextGenerateTest::texts);
    double calls = n.calls();
    double runs = n.runs();
    Map<String, Integer> expected = new java.util.TreeMap<>();
    try (TextModel direct = TextModel.open(folder, Zoo.backend())) {
      for (String b : bodies) {
        direct.generate(TextFolderModels.parse(InferCodec.JSON.readTree(b)), counting(expected));
      }
    }
    assertThat(expected.get("denoiser")).as("6 steps, twice for the 2 guided requests").isEqualTo(6 * (8 + 2));
    assertThat(expected.get("decoder-prefill")).as("one prefill per request").isEqualTo(8);
    assertThat(expected.get("decoder-step")).as("decoder steps").isPositive();
    assertThat(calls).as("denoiser and decoder calls, as counted alone: %s", expected)
        .isEqualTo(expected.values().stream().mapToInt(Integer::intValue).sum());
    assertThat(runs).as("ONNX Runtime runs for %s calls", calls).isLessThan(calls);
  }

  /** Runs every call alone and counts it under its call name. */
  private static GenerationControl counting(Map<String, Integer> counts) {
    GenerationControl alone = GenerationControl.alone();
    return new GenerationControl() {
      @Override
      public boolean wanted() {
        return true;
      }

      @Override
      public StepCalls steps(String call, ModelCall direct, int total) {
        return alone.steps(call, (inputs, outputs) -> {
          counts.merge(call, 1, Integer::sum);
          return direct.run(inputs, outputs);
        }, total);
      }
    };
  }

  private static List<String> texts(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    List<String> out = new ArrayList<>();
    Http.json(r).get("outputs").get(0).get("data").forEach(s -> out.add(s.asText()));
    return out;
  }

  @Test
  void badRequestsAre400sNamingTheFieldAndNoPathLeaks() throws Exception {
    assertError(url + "/generate", "{\"attribute\":7}", "attribute must be in [0, 3)");
    assertError(url + "/generate", "{\"count\":100000}", "count must be in 1..");
    assertError(url + "/generate", "{\"steps\":0}", "steps must be in 1..");
    assertError(url + "/generate", "{\"seed\":\"x\"}", "seed must be an integer");
    assertError(url + "/generate", "{\"mood\":\"happy\"}", "unknown field `mood`");
    assertError(url + "/infer", "{\"inputs\":[]}", "answers generate, not infer");
  }

  private static void assertError(String where, String body, String message) throws Exception {
    HttpResponse<byte[]> r = Http.post(where, body);
    assertThat(r.statusCode()).as(body).isEqualTo(400);
    String error = Http.json(r).get("error").asText();
    assertThat(error).as(body).contains(message).doesNotContain(dir.toString());
  }
}
