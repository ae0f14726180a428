package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.diffusion.fields.FieldTaskProvider;
import dev.kiln.diffusion.fields.PerceiverIoProvider;
import dev.kiln.inference.Domain;
import dev.kiln.inference.FieldQuery;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Sampler;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A field model (DPF) answers {@code generate} at the query coordinates a request names — a grid
 * {@code resolution} or a list of {@code coords} — with the samples {@code kiln sample} draws for the same
 * query and seed, alone or sharing denoiser runs with other requests.
 */
class FieldGenerateTest {

  private static final String RECIPE = """
      {"name": "dpf-serve", "seed": 5,
       "task": {"type": "dpf", "data": "mnist", "batch_size": 4, "context_size": 32, "query_size": 32,
                "schedule": {"num_train_timesteps": 100, "beta_schedule": "squaredcos_cap_v2"}},
       "architecture": {"type": "perceiver-io", "domain": "plane", "frequencies": 4, "width": 16, "latents": 4,
                        "heads": 2, "blocks": 1},
       "optimizer": {"type": "adamw", "lr": 0.003, "weight_decay": 0.0},
       "trainer": {"steps": 10, "log_every": 5}}
      """;

  @TempDir
  static Path dir;

  private static Path model;
  private static InferenceServer server;
  private static String url;

  @BeforeAll
  static void trainExportAndServe() throws Exception {
    TrainingRun run = new TrainingRun(Zoo.backend(), Map.of("dpf", new FieldTaskProvider()),
        Map.of("perceiver-io", new PerceiverIoProvider()));
    run.train(Recipe.parse(RECIPE, "dpf-serve.json"), dir.resolve("run"), null);
    Path repo = Files.createDirectories(dir.resolve("repo"));
    model = run.export(dir.resolve("run"), repo.resolve("dpf.onnx"), false);
    server = new InferenceServer(ModelRepository.open(repo, Zoo.backend()),
        ServeOptions.defaults().withBatching(64, 20_000, 256).withAddress("127.0.0.1", 0), line -> { }).start();
    url = server.url() + "/v2/models/dpf";
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void metadataNamesTheDomainAGenerateRequestQueries() throws Exception {
    JsonNode p = Http.json(Http.get(url)).get("parameters");
    assertThat(p.get("field_domain").asText()).isEqualTo("plane");
    assertThat(p.get("field_resolution").asInt()).isEqualTo(28);
    assertThat(p.get("context_size").asInt()).isEqualTo(32);
  }

  @Test
  void aGridAtAnUntrainedResolutionIsTheSampleKilnSampleDraws() throws Exception {
    JsonNode answer = Http.json(Http.post(url + "/generate",
        "{\"sampler\":\"ddim\",\"steps\":4,\"seed\":7,\"count\":2,\"resolution\":12}"));
    JsonNode samples = output(answer, "samples");
    assertThat(samples.get("shape").toString()).isEqualTo("[2,144,1]");
    assertThat(output(answer, "coords").get("shape").toString()).isEqualTo("[144,2]");
    assertThat(answer.get("parameters").get("resolution").asInt()).isEqualTo(12);
    float[] direct = direct(Domain.parse("plane", "test").grid(12), 2, 4, 7);
    assertThat(floats(samples)).containsExactly(direct);
  }

  @Test
  void listedCoordinatesAreAnsweredAtExactlyThosePoints() throws Exception {
    double[] coords = {0.1, -0.2, 0.9, 0.9, -1, 0.5, 0, 0, 0.33, -0.75};
    StringBuilder body = new StringBuilder("{\"sampler\":\"ddim\",\"steps\":3,\"seed\":2,\"coords\":[");
    for (int i = 0; i < coords.length; i += 2) {
      body.append(i > 0 ? "," : "").append('[').append(coords[i]).append(',').append(coords[i + 1]).append(']');
    }
    JsonNode answer = Http.json(Http.post(url + "/generate", body.append("]}").toString()));
    assertThat(output(answer, "samples").get("shape").toString()).isEqualTo("[1,5,1]");
    float[] echoed = floats(output(answer, "coords"));
    for (int i = 0; i < coords.length; i++) {
      assertThat(echoed[i]).isEqualTo((float) coords[i]);
    }
    assertThat(floats(output(answer, "samples"))).containsExactly(direct(coords, 1, 3, 2));
  }

  @Test
  void concurrentFieldRequestsShareRunsAndGetWhatTheyGetAlone() throws Exception {
    String[] requests = {
        "{\"sampler\":\"ddim\",\"steps\":5,\"seed\":1,\"resolution\":10}",
        "{\"sampler\":\"ddim\",\"steps\":7,\"seed\":2,\"resolution\":10,\"count\":2}",
        "{\"sampler\":\"ddpm\",\"steps\":6,\"seed\":3,\"resolution\":10}",
        "{\"sampler\":\"ddim\",\"steps\":4,\"seed\":4,\"resolution\":16}"};
    List<float[]> alone = new ArrayList<>();
    for (String r : requests) {
      alone.add(floats(output(Http.json(Http.post(url + "/generate", r)), "samples")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(requests.length);
    try {
      List<Future<HttpResponse<byte[]>>> together = new ArrayList<>();
      for (String r : requests) {
        together.add(pool.submit(() -> Http.post(url + "/generate", r)));
      }
      for (int i = 0; i < requests.length; i++) {
        assertThat(floats(output(Http.json(together.get(i).get()), "samples"))).as(requests[i])
            .containsExactly(alone.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aGridComesBackAsAPicture() throws Exception {
    HttpResponse<byte[]> r = Http.post(url + "/generate",
        "{\"steps\":2,\"seed\":1,\"count\":4,\"resolution\":14,\"format\":\"png\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("image/png");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body()));
    // two by two images of 14 pixels scaled 8 times (112 / 14), with padding between them
    assertThat(image.getWidth()).isBetween(2 * 14 * 8, 2 * 14 * 8 + 16);
    assertThat(image.getHeight()).isEqualTo(image.getWidth());
  }

  @Test
  void badQueriesAre400sNamingTheField() throws Exception {
    assertError("{\"resolution\":8,\"coords\":[[0,0]]}", "resolution and coords");
    assertError("{\"resolution\":0}", "resolution must be in 1..512, got 0");
    assertError("{\"resolution\":2.5}", "resolution must be an integer");
    assertError("{\"coords\":[]}", "coords must be a non-empty array");
    assertError("{\"coords\":[[0,0],[1,2,3]]}", "coords[1] must be an array of 2 numbers");
    assertError("{\"coords\":[[0,\"a\"]]}", "coords[0][1] must be a finite number");
    assertError("{\"coords\":[[0,0]],\"format\":\"png\"}", "samples at listed coordinates are not images");
    assertError("{\"resolution\":600}", "resolution must be in 1..512, got 600");
  }

  @Test
  void aModelThatIsNotAFieldRefusesQueryCoordinates() throws Exception {
    InferenceServer zoo = Http.serve(ServeOptions.defaults());
    try {
      HttpResponse<byte[]> r = Http.post(zoo.url() + "/v2/models/quickstart-8gaussians/generate",
          "{\"resolution\":8}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(Http.json(r).get("error").asText()).contains("resolution").contains("not a field model");
    } finally {
      zoo.close();
    }
  }

  private static void assertError(String body, String message) throws Exception {
    HttpResponse<byte[]> r = Http.post(url + "/generate", body);
    assertThat(r.statusCode()).as(body).isEqualTo(400);
    assertThat(Http.json(r).get("error").asText()).as(body).contains(message);
  }

  /** The samples of {@code kiln sample}'s path: the model at the query, DDIM, the same seed. */
  private static float[] direct(double[] coords, int count, int steps, long seed) throws Exception {
    try (GenerativeModel m = GenerativeModel.load(model, Zoo.backend())) {
      GenerativeModel at = m.at(FieldQuery.of(coords, 2, m.contextSize(), seed));
      Sampler ddim = at.sampler(server.samplers().get("ddim"), null, "sampler");
      Tensor t = at.sample(ddim, at.denoiser(), count, steps, seed);
      return t.toFloatArray();
    }
  }

  private static JsonNode output(JsonNode answer, String name) {
    for (JsonNode o : answer.get("outputs")) {
      if (o.get("name").asText().equals(name)) {
        return o;
      }
    }
    throw new AssertionError("no output " + name + " in " + answer);
  }

  private static float[] floats(JsonNode tensor) {
    JsonNode data = tensor.get("data");
    float[] f = new float[data.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data.get(i).asDouble();
    }
    return f;
  }
}
