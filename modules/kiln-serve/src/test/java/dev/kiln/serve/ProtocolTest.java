package dev.kiln.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every endpoint of the Open Inference Protocol as the zoo serves it, and every error case. */
class ProtocolTest {

  private static InferenceServer server;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    server = Http.serve(ServeOptions.defaults());
    url = server.url();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void healthAndServerMetadata() throws Exception {
    assertThat(Http.json(Http.get(url + "/v2/health/live")).get("live").asBoolean()).isTrue();
    assertThat(Http.get(url + "/v2/health/ready").statusCode()).isEqualTo(200);
    JsonNode meta = Http.json(Http.get(url + "/v2"));
    assertThat(meta.get("name").asText()).isEqualTo("kiln");
    assertThat(meta.get("extensions").toString()).contains("binary_tensor_data", "generate");
    assertThat(meta.get("models").toString()).contains("mnist-unet", "quickstart-8gaussians", "digit-classifier");
  }

  @Test
  void modelMetadataListsTensorsWithDynamicDims() throws Exception {
    JsonNode m = Http.json(Http.get(url + "/v2/models/mnist-unet"));
    assertThat(m.get("platform").asText()).isEqualTo("onnx_onnxv1");
    assertThat(m.get("inputs").toString()).contains("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,1,28,28]}",
        "{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]}");
    assertThat(m.get("outputs").get(0).get("name").asText()).isEqualTo("out");
    assertThat(m.get("parameters").get("num_classes").asInt()).isEqualTo(10);
    assertThat(m.get("parameters").get("samplers").toString()).contains("ddim", "dpmpp-2m");
    assertThat(Http.get(url + "/v2/models/mnist-unet/versions/1").statusCode()).isEqualTo(200);
    assertThat(Http.json(Http.get(url + "/v2/models/mnist-unet/ready")).get("ready").asBoolean()).isTrue();
  }

  @Test
  void inferAnswersTheSessionsOutputs() throws Exception {
    HttpResponse<byte[]> r = Http.post(url + "/v2/models/quickstart-8gaussians/infer", Http.gaussiansRequest(3, 0.5));
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode out = Http.json(r);
    assertThat(out.get("model_name").asText()).isEqualTo("quickstart-8gaussians");
    assertThat(out.get("id").asText()).isEqualTo("r0.5");
    assertThat(out.get("outputs").get(0).get("shape").toString()).isEqualTo("[3,2]");
    assertThat(out.get("outputs").get(0).get("data")).hasSize(6);
  }

  @Test
  void binaryTensorDataRoundTrips() throws Exception {
    String header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"parameters\":"
        + "{\"binary_data_size\":8}},{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[1],\"parameters\":"
        + "{\"binary_data_size\":4}}],\"outputs\":[{\"name\":\"out\",\"parameters\":{\"binary_data\":true}}]}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(h.length + 12).order(ByteOrder.LITTLE_ENDIAN);
    body.put(h).putFloat(0.5f).putFloat(-0.5f).putFloat(3f);
    HttpResponse<byte[]> r = Http.post(url + "/v2/models/quickstart-8gaussians/infer", body.array(),
        "Content-Type", "application/octet-stream", "Inference-Header-Content-Length", Integer.toString(h.length));
    assertThat(r.statusCode()).isEqualTo(200);
    int json = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    JsonNode meta = InferCodec.JSON.readTree(Arrays.copyOf(r.body(), json));
    assertThat(meta.get("outputs").get(0).get("parameters").get("binary_data_size").asInt()).isEqualTo(8);
    ByteBuffer raw = ByteBuffer.wrap(r.body(), json, 8).order(ByteOrder.LITTLE_ENDIAN);
    JsonNode viaJson = Http.json(Http.post(url + "/v2/models/quickstart-8gaussians/infer",
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[0.5,-0.5]},"
            + "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[3]}]}"));
    assertThat(raw.getFloat()).isEqualTo((float) viaJson.get("outputs").get(0).get("data").get(0).asDouble());
  }

  @Test
  void eachBadRequestIsA400NamingTheField() throws Exception {
    String m = url + "/v2/models/quickstart-8gaussians/infer";
    assertError(Http.post(m, "{\"inputs\": ["), 400, "not valid JSON");
    assertError(Http.post(m, "{}"), 400, "`inputs`");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}"), 400,
        "inputs[0].name", "no input `y`");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[1,2],\"data\":[1,2]}]}"),
        400, "input `x`.datatype", "FP32");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP17\",\"shape\":[1,2],\"data\":[1,2]}]}"),
        400, "input `x`.datatype", "FP17");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}"),
        400, "input `x`.shape[1]");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,2]}]}"),
        400, "input `x`.shape", "dims");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1]}]}"),
        400, "input `x`.data", "needs 2");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,\"a\"]}]}"),
        400, "input `x`.data[1]");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,2]}]}"),
        400, "missing input `t`");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,2]},"
        + "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,2]}]}"), 400, "batch size");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,2]},"
        + "{\"name\":\"t\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}],\"outputs\":[{\"name\":\"z\"}]}"), 400,
        "outputs[0].name");
    assertError(Http.post(m, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[100000,100000,2],"
        + "\"data\":[]}]}"), 400, "shape");
  }

  @Test
  void unknownModelsAndPathsAre404AndNeverReachFiles() throws Exception {
    assertError(Http.get(url + "/v2/models/nope"), 404, "`nope` is not in the repository");
    // Jetty refuses an encoded separator outright; a plain one never leaves the name list
    assertError(Http.get(url + "/v2/models/..%2F..%2Fpom.xml"), 400, "Bad Request");
    assertError(Http.get(url + "/v2/models/..pom.xml"), 404, "not in the repository");
    assertError(Http.get(url + "/v2/nothing"), 404, "no endpoint");
    assertError(Http.get(url + "/v2/models/mnist-unet/infer"), 405, "GET");
  }

  @Test
  void generateErrorsNameTheField() throws Exception {
    String g = url + "/v2/models/mnist-unet/generate";
    assertError(Http.post(g, "{\"sampler\":\"nope\"}"), 400, "nope");
    assertError(Http.post(g, "{\"steps\":0}"), 400, "steps");
    assertError(Http.post(g, "{\"label\":10}"), 400, "label");
    assertError(Http.post(g, "{\"format\":\"gif\"}"), 400, "format");
    assertError(Http.post(url + "/v2/models/digit-classifier/generate", "{}"), 400, "not generative");
    assertError(Http.post(url + "/v2/models/quickstart-8gaussians/generate", "{\"format\":\"png\"}"), 400, "images");
  }

  @Test
  void generateGivesSamplesAsTensorsPngAndAStream() throws Exception {
    JsonNode r = Http.json(Http.post(url + "/v2/models/mnist-unet/generate",
        "{\"sampler\":\"ddim\",\"steps\":3,\"seed\":1,\"count\":2,\"label\":7}"));
    assertThat(r.get("outputs").get(0).get("shape").toString()).isEqualTo("[2,1,28,28]");
    assertThat(r.get("outputs").get(1).get("data").toString()).isEqualTo("[7,7]");
    HttpResponse<byte[]> png = Http.post(url + "/v2/models/mnist-unet/generate", "{\"steps\":2,\"format\":\"png\"}");
    assertThat(png.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/png");
    assertThat(Arrays.copyOf(png.body(), 4)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    String sse = new String(Http.post(url + "/v2/models/quickstart-8gaussians/generate_stream",
        "{\"sampler\":\"ddim\",\"steps\":4,\"count\":3}").body(), StandardCharsets.UTF_8);
    assertThat(sse).contains("event: progress\ndata: {\"step\":1,\"steps\":4}", "{\"step\":4,\"steps\":4}",
        "event: result\ndata: {\"model_name\":\"quickstart-8gaussians\"");
  }

  @Test
  void metricsCountRequestsPerModel() throws Exception {
    Http.post(url + "/v2/models/quickstart-8gaussians/infer", Http.gaussiansRequest(1, 0));
    String metrics = new String(Http.get(url + "/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics).contains("kiln_request_success_total{endpoint=\"infer\",model=\"quickstart-8gaussians\"}",
        "kiln_inference_exec_count_total{model=\"quickstart-8gaussians\"}", "kiln_request_duration_seconds_bucket",
        "kiln_queue_duration_seconds_total", "kiln_compute_duration_seconds_total", "kiln_queue_depth");
  }

  @Test
  void thePageIsServed() throws Exception {
    HttpResponse<byte[]> r = Http.get(url + "/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("kiln serve");
  }

  static void assertError(HttpResponse<byte[]> r, int status, String... parts) throws Exception {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(status);
    JsonNode n = InferCodec.JSON.readTree(body);
    assertThat(n.get("error").asText()).contains(parts).doesNotContain("\tat ", "Exception");
  }
}
