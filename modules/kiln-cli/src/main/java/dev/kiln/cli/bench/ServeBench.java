package dev.kiln.cli.bench;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.graph.DType;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.serve.InferenceServer;
import dev.kiln.serve.ModelRepository;
import dev.kiln.serve.ServeOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kiln bench serve}: the server's overhead on one infer call against the same model's ONNX Runtime
 * session called directly, in one process, at the same batch size and threads. Rounds interleave the three
 * ways (direct, HTTP with JSON tensors, HTTP with the binary tensor extension) in rotating order; each
 * prints its median latency and the overhead {@code (http - direct) / direct}. The client is a bare
 * keep-alive HTTP/1.1 socket with the request bytes prepared once, so its own cost is close to nothing.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Benchmark kiln serve's per-request overhead against calling ONNX Runtime directly.")
public final class ServeBench implements Callable<Integer> {

  @Option(names = "--model", description = "an exported model (default: ${DEFAULT-VALUE})")
  Path model = Path.of("model-zoo/mnist-unet/model.onnx");

  @Option(names = "--batch", description = "rows per call (default: ${DEFAULT-VALUE})")
  int batch = 1;

  @Option(names = "--rounds", description = "interleaved rounds (default: ${DEFAULT-VALUE})")
  int rounds = 9;

  @Option(names = "--calls", description = "calls per way per round (default: ${DEFAULT-VALUE})")
  int calls = 100;

  @Option(names = "--threads", description = "ONNX Runtime intra-op threads, both ways (default: ${DEFAULT-VALUE})")
  int threads = 2;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(model)) {
      throw new IllegalArgumentException("--model: " + model + " is not a file");
    }
    Path repo = Files.createTempDirectory("kiln-bench-serve");
    Path copy = Files.copy(model, repo.resolve("bench.onnx"));
    BackendOptions backend = BackendOptions.cpu(threads);
    try (Session direct = new OrtBackend(backend).load(model);
        InferenceServer server = new InferenceServer(ModelRepository.open(repo, new OrtBackend(backend)),
            ServeOptions.defaults().withAddress("127.0.0.1", 0), line -> { }).start()) {
      Map<String, Tensor> inputs = inputs(direct, batch);
      byte[] json = request(inputs, false);
      byte[] binary = request(inputs, true);
      try (Client client = new Client(server.port())) {
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        List<String> ways = List.of("direct", "http json", "http binary");
        ways.forEach(w -> ms.put(w, new ArrayList<>()));
        for (int r = -1; r < rounds; r++) {
          for (int k = 0; k < ways.size(); k++) {
            String way = ways.get(Math.floorMod(k + r, ways.size()));
            for (int i = 0; i < calls; i++) {
              long start = System.nanoTime();
              switch (way) {
                case "direct" -> direct.run(inputs);
                case "http json" -> client.post(json, false);
                default -> client.post(binary, true);
              }
              if (r >= 0) {
                ms.get(way).add((System.nanoTime() - start) / 1e6);
              }
            }
          }
        }
        String metrics = client.get("/metrics");
        double serverMs = 1000 * metric(metrics, "kiln_compute_duration_seconds_total")
            / metric(metrics, "kiln_inference_exec_count_total");
        double base = BenchCommand.median(ms.get("direct"));
        System.out.printf(Locale.ROOT, "%s, batch %d, %d threads, %d rounds x %d calls per way%n", model, batch,
            threads, rounds, calls);
        System.out.printf(Locale.ROOT, "%-12s %12s %12s %10s%n", "way", "median ms", "p90 ms", "overhead");
        for (String w : ways) {
          List<Double> xs = ms.get(w);
          double med = BenchCommand.median(xs);
          System.out.printf(Locale.ROOT, "%-12s %12.3f %12.3f %9.1f%%%n", w, med, quantile(xs, 0.9),
              100 * (med - base) / base);
        }
        System.out.printf(Locale.ROOT, "ONNX Runtime inside the server: %.3f ms per run (mean, from /metrics)%n",
            serverMs);
      }
    } finally {
      Files.deleteIfExists(copy);
      Files.deleteIfExists(repo);
    }
    return 0;
  }

  /** Gaussian floats and zero integers in the shapes the model declares (symbolic dims become the batch). */
  static Map<String, Tensor> inputs(Session s, int batch) {
    SplittableRandom rng = new SplittableRandom(0);
    Map<String, Tensor> in = new LinkedHashMap<>();
    for (String name : s.inputNames()) {
      long[] shape = s.inputShape(name);
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shape[i] < 0 ? batch : shape[i];
      }
      Tensor t = Tensor.zeros(s.inputType(name), shape);
      if (t.dtype() == DType.FLOAT || t.dtype() == DType.DOUBLE) {
        for (int i = 0; i < t.size(); i++) {
          t.set(i, rng.nextGaussian());
        }
      }
      in.put(name, t);
    }
    return in;
  }

  private static double metric(String text, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + "\\{model=\"bench\"} (\\S+)$")
        .matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("the server's /metrics has no " + name);
    }
    return Double.parseDouble(m.group(1));
  }

  private static double quantile(List<Double> xs, double q) {
    double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
  }

  /** The whole HTTP request for an infer call on {@code inputs}, JSON data or binary tensors. */
  private static byte[] request(Map<String, Tensor> inputs, boolean binary) throws IOException {
    StringBuilder header = new StringBuilder("{\"inputs\":[");
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    int n = 0;
    for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
      Tensor t = e.getValue();
      header.append(n++ > 0 ? "," : "").append("{\"name\":\"").append(e.getKey()).append("\",\"datatype\":\"")
          .append(t.dtype() == DType.FLOAT ? "FP32" : t.dtype() == DType.DOUBLE ? "FP64" : "INT64")
          .append("\",\"shape\":").append(java.util.Arrays.toString(t.shape()).replace(" ", ""));
      if (binary) {
        byte[] bytes = littleEndian(t);
        raw.write(bytes);
        header.append(",\"parameters\":{\"binary_data_size\":").append(bytes.length).append("}}");
      } else {
        header.append(",\"data\":[");
        for (int i = 0; i < t.size(); i++) {
          header.append(i > 0 ? "," : "");
          if (t.dtype() == DType.FLOAT || t.dtype() == DType.DOUBLE) {
            header.append((float) t.getDouble(i));
          } else {
            header.append((long) t.get(i));
          }
        }
        header.append("]}");
      }
    }
    header.append("]").append(binary ? ",\"parameters\":{\"binary_data_output\":true}" : "").append("}");
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(json);
    raw.writeTo(body);
    String head = "POST /v2/models/bench/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + (binary ? "application/octet-stream\r\nInference-Header-Content-Length: " + json.length + "\r\n"
            : "application/json\r\n")
        + "Content-Length: " + body.size() + "\r\n\r\n";
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(head.getBytes(StandardCharsets.US_ASCII));
    body.writeTo(all);
    return all.toByteArray();
  }

  private static byte[] littleEndian(Tensor t) {
    int width = t.dtype() == DType.FLOAT ? 4 : 8;
    ByteBuffer b = ByteBuffer.allocate(t.size() * width).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < t.size(); i++) {
      switch (t.dtype()) {
        case FLOAT -> b.putFloat(t.getFloat(i));
        case DOUBLE -> b.putDouble(t.getDouble(i));
        default -> b.putLong((long) t.get(i));
      }
    }
    return b.array();
  }

  /** One keep-alive connection: writes a prepared request, reads the response through its body. */
  private static final class Client implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Client(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    String get(String path) throws IOException {
      return new String(exchange(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII), "GET " + path), StandardCharsets.UTF_8);
    }

    void post(byte[] request, boolean binary) throws IOException {
      exchange(request, (binary ? "binary" : "json") + " infer");
    }

    private byte[] exchange(byte[] request, String what) throws IOException {
      out.write(request);
      out.flush();
      String status = line();
      long length = -1;
      for (String h; !(h = line()).isEmpty();) {
        int colon = h.indexOf(':');
        if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
          length = Long.parseLong(h.substring(colon + 1).trim());
        }
      }
      if (length < 0) {
        throw new IOException("response without Content-Length: " + status);
      }
      byte[] body = in.readNBytes((int) length);
      if (!status.contains(" 200 ")) {
        throw new IOException(what + " failed: " + status + " " + new String(body, StandardCharsets.UTF_8));
      }
      return body;
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int c; (c = in.read()) != '\n';) {
        if (c < 0) {
          throw new IOException("the server closed the connection");
        }
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
