package dev.kiln.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket): open a page, evaluate
 * JavaScript in it, take a screenshot. Only what the page test needs.
 */
final class Chromium implements AutoCloseable {

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private Chromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** The {@code chromium} on PATH, or null. */
  static Path find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "chromium");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Starts Chromium on {@code url} in a window of this size. */
  static Chromium open(Path binary, String url, int width, int height) throws Exception {
    Path profile = Files.createTempDirectory("kiln-chromium");
    Process p = new ProcessBuilder(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--remote-debugging-port=0", "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height, url)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        p.destroyForcibly();
        throw new IllegalStateException("chromium did not open its DevTools port");
      }
      Thread.sleep(50);
    }
    String port = Files.readAllLines(portFile).get(0).trim();
    HttpClient http = HttpClient.newHttpClient();
    String ws = null;
    while (ws == null) {
      JsonNode targets = InferCodec.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode t : targets) {
        if (t.path("type").asText().equals("page")) {
          ws = t.get("webSocketDebuggerUrl").asText();
        }
      }
      if (ws == null) {
        Thread.sleep(50);
      }
    }
    Chromium[] self = new Chromium[1];
    WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          self[0].received(text.toString());
          text.setLength(0);
        }
        w.request(1);
        return null;
      }
    }).get(10, TimeUnit.SECONDS);
    self[0] = new Chromium(p, profile, socket);
    return self[0];
  }

  private void received(String message) {
    try {
      JsonNode n = InferCodec.JSON.readTree(message);
      CompletableFuture<JsonNode> f = n.has("id") ? pending.remove(n.get("id").asInt()) : null;
      if (f != null) {
        f.complete(n);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    socket.sendText(InferCodec.JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true);
    return f.get(30, TimeUnit.SECONDS);
  }

  /** The value of a JavaScript expression in the page, as text. */
  String evaluate(String expression) throws Exception {
    return call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true)).path("result")
        .path("result").path("value").asText();
  }

  /** A PNG screenshot of the page in a viewport of this size. */
  byte[] screenshot(int width, int height) throws Exception {
    call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
        "mobile", false));
    return Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).path("result")
        .path("data").asText());
  }

  @Override
  public void close() throws Exception {
    socket.abort();
    // Chromium's helper processes outlive the browser process unless ended too, and keep writing its profile
    java.util.List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    helpers.forEach(ProcessHandle::destroy);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    for (ProcessHandle h : helpers) {
      h.onExit().completeOnTimeout(h, 5, TimeUnit.SECONDS).join();
      h.destroyForcibly();
    }
    deleteProfile();
  }

  /** Removes the temporary profile; a file a dying helper removes first is not an error. */
  private void deleteProfile() throws java.io.IOException {
    for (int attempt = 0; ; attempt++) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        return;
      } catch (java.io.UncheckedIOException e) {
        if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 4) {
          throw e;
        }
      }
    }
  }
}
