package dev.kiln.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/** Raw HTTP calls against a test server, for checking statuses, headers and error bodies. */
final class Http {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private Http() {}

  static HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> post(String url, byte[] body, String... headers) throws IOException,
      InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> post(String url, String json) throws IOException, InterruptedException {
    return post(url, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/json");
  }

  static JsonNode json(HttpResponse<byte[]> r) throws IOException {
    return InferCodec.JSON.readTree(r.body());
  }

  /** A server over the zoo with these options, started. */
  static InferenceServer serve(ServeOptions options) throws Exception {
    return serve(Zoo.ROOT, options);
  }

  /** A server over {@code repo} with these options, on loopback at an ephemeral port, started. */
  static InferenceServer serve(Path repo, ServeOptions options) throws Exception {
    return new InferenceServer(ModelRepository.open(repo, Zoo.backend()), options.withAddress("127.0.0.1", 0),
        line -> { }).start();
  }

  /** An infer request body for the 8-gaussians model's {@code n} rows. */
  static String gaussiansRequest(int n, double offset) throws IOException {
    float[] x = new float[2 * n];
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) (offset + 0.1 * i);
      x[2 * i + 1] = (float) (-offset + 0.05 * i);
      t[i] = 10 * i + 3;
    }
    return InferCodec.JSON.writeValueAsString(Map.of("id", "r" + offset, "inputs", java.util.List.of(
        Map.of("name", "x", "datatype", "FP32", "shape", new long[] {n, 2}, "data", x),
        Map.of("name", "t", "datatype", "FP32", "shape", new long[] {n}, "data", t))));
  }
}
