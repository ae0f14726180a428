package dev.kiln.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.Tensor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Java client of {@code kiln serve} (any Open Inference Protocol server for infer): health, model
 * metadata, infer with tensors in and out, and generate. Errors come back as {@link ApiException}
 * with the server's status and message.
 */
public final class KilnClient {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  /** A client of the server at {@code base} ({@code http://127.0.0.1:8000}); {@code token} may be null. */
  public KilnClient(String base, String token) {
    this.base = base.replaceAll("/+$", "");
    this.token = token;
  }

  /** Whether the server is ready for requests. */
  public boolean ready() throws IOException, InterruptedException {
    return send(get("/v2/health/ready")).statusCode() == 200;
  }

  /** The model's metadata: name, platform, inputs and outputs with datatypes and shapes. */
  public JsonNode metadata(String model) throws IOException, InterruptedException {
    return json(send(get("/v2/models/" + model)));
  }

  /** Runs the model on {@code inputs}; the outputs by name. */
  public Map<String, Tensor> infer(String model, Map<String, Tensor> inputs) throws IOException,
      InterruptedException {
    ObjectNode req = InferCodec.JSON.createObjectNode();
    ArrayNode in = req.putArray("inputs");
    inputs.forEach((name, t) -> {
      ObjectNode n = in.addObject();
      n.put("name", name);
      n.put("datatype", Datatypes.name(t.dtype()));
      ArrayNode shape = n.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      ArrayNode data = n.putArray("data");
      for (int i = 0; i < t.size(); i++) {
        switch (t.dtype()) {
          case FLOAT -> data.add(t.getFloat(i));
          case DOUBLE -> data.add(t.getDouble(i));
          case BOOL -> data.add(t.get(i) != 0);
          default -> data.add((long) t.get(i));
        }
      }
    });
    return tensors(json(send(post("/v2/models/" + model + "/infer", req.toString()))));
  }

  /**
   * Generates with the fields of a generate request ({@code sampler}, {@code steps}, {@code seed},
   * {@code count}, {@code label}, {@code guidance}); the outputs ({@code samples}, and {@code labels}).
   */
  public Map<String, Tensor> generate(String model, Map<String, Object> fields) throws IOException,
      InterruptedException {
    String body = InferCodec.JSON.writeValueAsString(fields);
    return tensors(json(send(post("/v2/models/" + model + "/generate", body))));
  }

  /** Outputs of an infer or generate response as tensors. */
  static Map<String, Tensor> tensors(JsonNode response) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (JsonNode o : response.get("outputs")) {
      JsonNode s = o.get("shape");
      long[] shape = new long[s.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = s.get(i).asLong();
      }
      Tensor t = Tensor.zeros(Datatypes.parse(o.get("datatype").asText(), "datatype"), shape);
      JsonNode data = o.get("data");
      for (int i = 0; i < data.size(); i++) {
        t.set(i, data.get(i).isBoolean() ? (data.get(i).asBoolean() ? 1 : 0) : data.get(i).asDouble());
      }
      out.put(o.get("name").asText(), t);
    }
    return out;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private HttpRequest get(String path) {
    return request(path).GET().build();
  }

  private HttpRequest post(String path, String json) {
    return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    JsonNode n = InferCodec.JSON.readTree(r.body());
    if (r.statusCode() >= 400) {
      throw new ApiException(r.statusCode(), n.path("error").asText(r.body()));
    }
    return n;
  }
}
