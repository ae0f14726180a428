package dev.kiln.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.inference.FieldRenders;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.GenerationControl;
import dev.kiln.viz.ImageGrid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The routes: health, server and model metadata, infer, generate, generate_stream, metrics and the page. */
final class V2Handler extends Handler.Abstract {

  private static final System.Logger LOG = System.getLogger("dev.kiln.serve");
  private static final String VERSION = "0.1.0";

  private final InferenceServer server;
  private final byte[] page;

  V2Handler(InferenceServer server) {
    this.server = server;
    try (InputStream in = V2Handler.class.getResourceAsStream("index.html")) {
      this.page = in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the web page is missing from the jar", e);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    server.inFlight().incrementAndGet();
    Exchange x = new Exchange(request, response, callback, server.clientProbe(), server::finished);
    try {
      route(x);
    } catch (ApiException e) {
      x.error(e);
    } catch (RuntimeException | IOException e) {
      internal(x, e);
    }
    return true;
  }

  private static void internal(Exchange x, Throwable e) {
    LOG.log(System.Logger.Level.ERROR, x.method() + " " + x.path() + " failed", e);
    x.error(new ApiException(500, "internal error (" + e.getClass().getSimpleName() + "); see the server log"));
  }

  private void route(Exchange x) throws IOException {
    String path = x.path();
    String[] parts = path.replaceAll("/+$", "").split("/");
    boolean get = x.method().equals("GET");
    if (path.startsWith("/v2/health/")) {
      x.endpoint = "health";
      health(x, path.substring("/v2/health/".length()), get);
      return;
    }
    if (server.draining()) {
      throw ApiException.unavailable("the server is shutting down");
    }
    if (path.equals("/") || path.equals("/index.html")) {
      require(get, x);
      x.endpoint = "page";
      x.send(200, "text/html; charset=utf-8", page);
      return;
    }
    authorize(x);
    if (path.equals("/metrics")) {
      require(get, x);
      x.endpoint = "metrics";
      x.send(200, ServerMetrics.contentType(), server.metrics().scrape());
      return;
    }
    if (path.equals("/v2") || path.equals("/v2/")) {
      require(get, x);
      x.endpoint = "server_metadata";
      x.json(200, serverMetadata().toString());
      return;
    }
    if (parts.length >= 4 && parts[1].equals("v2") && parts[2].equals("models")) {
      int rest = 4;
      if (parts.length >= 6 && parts[4].equals("versions")) {
        rest = 6;
      }
      ServedModel m = server.repository().get(parts[3]);
      x.model = m.name();
      String action = parts.length == rest ? "" : parts.length == rest + 1 ? parts[rest] : null;
      if (action != null) {
        switch (action) {
          case "" -> {
            require(get, x);
            x.endpoint = "model_metadata";
            x.json(200, modelMetadata(m).toString());
            return;
          }
          case "ready" -> {
            require(get, x);
            x.endpoint = "model_ready";
            x.json(200, "{\"name\":" + InferCodec.JSON.writeValueAsString(m.name()) + ",\"ready\":true}");
            return;
          }
          case "infer" -> {
            require(!get, x);
            x.endpoint = "infer";
            infer(x, m);
            return;
          }
          case "generate", "generate_stream" -> {
            require(!get, x);
            x.endpoint = action;
            generate(x, m, action.equals("generate_stream"));
            return;
          }
          default -> { }
        }
      }
    }
    throw ApiException.notFound("no endpoint " + x.method() + " " + path);
  }

  private static void require(boolean ok, Exchange x) {
    if (!ok) {
      throw new ApiException(405, x.method() + " is not allowed on " + x.path());
    }
  }

  private void authorize(Exchange x) {
    String token = server.options().token();
    if (token == null) {
      return;
    }
    String given = x.request.getHeaders().get(HttpHeader.AUTHORIZATION);
    byte[] want = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    if (given == null || !MessageDigest.isEqual(want, given.getBytes(StandardCharsets.UTF_8))) {
      x.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      throw new ApiException(401, "a valid `Authorization: Bearer <token>` header is required");
    }
  }

  private void health(Exchange x, String which, boolean get) {
    require(get, x);
    switch (which) {
      case "live" -> x.json(200, "{\"live\":true}");
      case "ready" -> x.json(server.draining() ? 503 : 200, "{\"ready\":" + !server.draining() + "}");
      default -> throw ApiException.notFound("no endpoint GET " + x.path());
    }
  }

  private ObjectNode serverMetadata() {
    ObjectNode n = InferCodec.JSON.createObjectNode();
    n.put("name", "kiln");
    n.put("version", VERSION);
    n.putArray("extensions").add("binary_tensor_data").add("generate").add("generate_stream");
    ArrayNode models = n.putArray("models");
    server.repository().models().forEach(m -> models.add(m.name()));
    return n;
  }

  private ObjectNode modelMetadata(ServedModel m) {
    ObjectNode n = InferCodec.JSON.createObjectNode();
    n.put("name", m.name());
    n.putArray("versions").add("1");
    if (m.folder() != null) {
      n.put("platform", "kiln_" + m.metadata().get("kind"));
      n.putArray("inputs");
      n.putArray("outputs");
      n.set("parameters", m.folder().parameters().put("generative", true));
      return n;
    }
    n.put("platform", "onnx_onnxv1");
    ArrayNode in = n.putArray("inputs");
    m.inputs().forEach(s -> spec(in.addObject(), s));
    ArrayNode out = n.putArray("outputs");
    m.outputs().forEach(s -> spec(out.addObject(), s));
    GenerativeModel g = m.generative();
    if (g != null) {
      ObjectNode p = n.putObject("parameters");
      p.put("generative", true);
      p.put("state_space", g.stateSpace().name().toLowerCase(java.util.Locale.ROOT));
      ArrayNode shape = p.putArray("sample_shape");
      for (long d : g.sampleShape()) {
        shape.add(d);
      }
      p.put("num_classes", g.numClasses());
      if (g.isField()) {
        // what a generate request's `resolution` and `coords` refer to
        p.put("field_domain", g.fieldDomain());
        p.put("field_resolution", g.fieldResolution());
        p.put("context_size", g.contextSize());
      }
      p.put("default_sampler", g.defaultSampler());
      ArrayNode names = p.putArray("samplers");
      server.samplers().forEach((name, provider) -> {
        try {
          g.sampler(provider, null, "sampler");
          names.add(name);
        } catch (RuntimeException e) {
          // a sampler that does not fit this model is not listed
        }
      });
    }
    return n;
  }

  private static void spec(ObjectNode n, TensorSpec s) {
    n.put("name", s.name());
    n.put("datatype", s.datatype());
    ArrayNode shape = n.putArray("shape");
    for (long d : s.shape()) {
      shape.add(d);
    }
  }

  private void infer(Exchange x, ServedModel m) throws IOException {
    if (m.folder() != null) {
      throw ApiException.badRequest("model `" + m.name() + "` is a " + m.metadata().get("kind")
          + " model folder; it answers generate, not infer");
    }
    byte[] body = x.body(server.options().maxBodyBytes());
    String header = x.request.getHeaders().get("Inference-Header-Content-Length");
    Integer headerLength = null;
    if (header != null) {
      try {
        headerLength = Integer.parseInt(header.trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Inference-Header-Content-Length: `" + header + "` is not a byte count");
      }
    }
    InferCodec.Request req = InferCodec.parse(body, headerLength, m, server.options().maxTensorElements());
    String id = req.id() != null ? req.id() : UUID.randomUUID().toString();
    CompletableFuture<Map<String, Tensor>> result = server.inferBatcher(m.name()).submit(req.inputs(), req.outputs(),
        x::clientConnected);
    result.orTimeout(server.options().requestTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((out, err) -> {
      if (err == null) {
        try {
          InferCodec.Encoded enc = InferCodec.response(m.name(), id, out, req.binary());
          if (enc.headerLength() != null) {
            x.response.getHeaders().put("Inference-Header-Content-Length", Integer.toString(enc.headerLength()));
            x.send(200, "application/octet-stream", enc.body());
          } else {
            x.send(200, "application/json", enc.body());
          }
        } catch (RuntimeException e) {
          internal(x, e);
        }
      } else {
        failed(x, err);
      }
    });
  }

  private void failed(Exchange x, Throwable err) {
    Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (e instanceof ApiException a) {
      x.error(a);
    } else if (e instanceof TimeoutException) {
      x.error(new ApiException(504, "the request took longer than the server's timeout of "
          + server.options().requestTimeout().toMillis() + " ms"));
    } else if (e instanceof StepLoop.Cancelled c) {
      x.error(new ApiException(c.status, c.getMessage()));
    } else if (e instanceof java.util.concurrent.CancellationException) {
      x.error(new ApiException(499, StepLoop.CLIENT_GONE));
    } else {
      internal(x, e);
    }
  }

  private void generate(Exchange x, ServedModel m, boolean stream) throws IOException {
    JsonNode req = InferCodec.object(x.body(server.options().maxBodyBytes()), "the request body");
    if (m.folder() != null) {
      generateFromFolder(x, m, req, stream);
      return;
    }
    Generation gen = Generation.parse(req, m, server.samplers(), server.options());
    if (!server.generateSlots().tryAcquire()) {
      throw ApiException.tooBusy("too many generate requests running (" + server.options().maxQueueSize()
          + "); retry later", 1);
    }
    String id = req.hasNonNull("id") ? req.get("id").asText() : UUID.randomUUID().toString();
    long deadline = System.nanoTime() + server.options().requestTimeout().toNanos();
    if (stream) {
      startStream(x);
    }
    server.loops().execute(() -> {
      try {
        Tensor samples = gen.run(server.stepBatcher(m.name()), x::clientConnected, deadline,
            progress(x, stream, null));
        if (stream) {
          x.stream("event: result\ndata: " + generated(m, id, gen, samples) + "\n\n");
          x.endStream();
        } else if (gen.png()) {
          x.send(200, "image/png", png(gen, samples));
        } else {
          x.json(200, generated(m, id, gen, samples));
        }
      } catch (Exception e) {
        if (stream) {
          endWithError(x, e);
        } else {
          failed(x, e);
        }
      } finally {
        server.generateSlots().release();
      }
    });
  }

  /**
   * A folder model's generate: the server checks the shared fields ({@code count}, {@code steps},
   * {@code seed}) against its limits and the model reads the rest, under a {@link FolderControl};
   * {@code generate_stream} sends a progress event per step call the model makes, then the result.
   */
  private void generateFromFolder(Exchange x, ServedModel m, JsonNode req, boolean stream) {
    Generation.checkSharedFields(req, server.options());
    if (!server.generateSlots().tryAcquire()) {
      throw ApiException.tooBusy("too many generate requests running (" + server.options().maxQueueSize()
          + "); retry later", 1);
    }
    String id = req.hasNonNull("id") ? req.get("id").asText() : UUID.randomUUID().toString();
    if (stream) {
      startStream(x);
    }
    long deadline = System.nanoTime() + server.options().requestTimeout().toNanos();
    GenerationControl control = new FolderControl(x, m.name(), deadline, stream);
    server.loops().execute(() -> {
      try {
        List<FolderModel.Output> outputs;
        try {
          outputs = m.folder().generate(req, control);
        } catch (ConfigException | IllegalArgumentException e) {
          throw ApiException.badRequest(e.getMessage());
        }
        String answer = folderAnswer(m, id, outputs);
        if (stream) {
          x.stream("event: result\ndata: " + answer + "\n\n");
          x.endStream();
        } else {
          x.json(200, answer);
        }
      } catch (Exception e) {
        if (stream) {
          endWithError(x, e);
        } else {
          failed(x, e);
        }
      } finally {
        server.generateSlots().release();
      }
    });
  }

  /**
   * A folder model's generation as the server runs it: wanted while its client is connected and within
   * the request timeout; each loop's calls go through the model's step batcher for that call (merged with
   * concurrent requests' steps) and count as progress for {@code generate_stream}.
   */
  private final class FolderControl implements GenerationControl {
    private final Exchange x;
    private final String model;
    private final long deadline;
    private final boolean stream;

    FolderControl(Exchange x, String model, long deadline, boolean stream) {
      this.x = x;
      this.model = model;
      this.deadline = deadline;
      this.stream = stream;
    }

    @Override
    public boolean wanted() {
      return x.clientConnected() && System.nanoTime() <= deadline;
    }

    @Override
    public void check() {
      StepLoop.check(x::clientConnected, deadline);
    }

    @Override
    public StepCalls steps(String call, ModelCall direct, int total) {
      return new StepLoop(server.folderStepBatcher(model, call, direct::run), direct, x::clientConnected, deadline,
          total, progress(x, stream, call));
    }
  }

  /** Answers 200 with server-sent events; the events follow as the generation runs. */
  private static void startStream(Exchange x) {
    x.status = 200;
    x.response.setStatus(200);
    x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
    x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
  }

  /**
   * The progress of a generation: for {@code generate_stream}, an {@code event: progress} after every
   * model call ({@code {step, steps}}, with {@code call} for a folder model's named call); a failed
   * write means the client has gone.
   */
  private static Generation.Progress progress(Exchange x, boolean stream, String call) {
    if (!stream) {
      return (done, total) -> { };
    }
    String named = call == null ? "" : "\"call\":\"" + call + "\",";
    return (done, total) -> {
      try {
        x.stream("event: progress\ndata: {" + named + "\"step\":" + done + ",\"steps\":" + total + "}\n\n");
      } catch (Exception e) {
        throw new StepLoop.Cancelled(499, StepLoop.CLIENT_GONE);
      }
    };
  }

  private static String folderAnswer(ServedModel m, String id, List<FolderModel.Output> outputs) throws IOException {
    StringWriter w = new StringWriter();
    try (var g = InferCodec.JSON.getFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("model_name", m.name());
      g.writeStringField("id", id);
      g.writeArrayFieldStart("outputs");
      for (FolderModel.Output o : outputs) {
        if (o.tensor() != null) {
          writeTensor(g, o.name(), o.tensor());
          continue;
        }
        g.writeStartObject();
        g.writeStringField("name", o.name());
        g.writeStringField("datatype", "BYTES");
        g.writeArrayFieldStart("shape");
        g.writeNumber(o.strings().size());
        g.writeEndArray();
        g.writeArrayFieldStart("data");
        for (String str : o.strings()) {
          g.writeString(str);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return w.toString();
  }

  private static void endWithError(Exchange x, Exception e) {
    String message = e instanceof ApiException || e instanceof StepLoop.Cancelled ? e.getMessage()
        : "internal error; see the server log";
    if (!(e instanceof ApiException) && !(e instanceof StepLoop.Cancelled)) {
      LOG.log(System.Logger.Level.ERROR, "generate_stream failed", e);
    }
    try {
      x.stream("event: error\ndata: " + new String(InferCodec.error(message), StandardCharsets.UTF_8) + "\n\n");
    } catch (Exception ignored) {
      // the client is gone; nothing to tell it
    }
    x.endStream();
  }

  private static String generated(ServedModel m, String id, Generation gen, Tensor samples) throws IOException {
    StringWriter w = new StringWriter();
    try (var g = InferCodec.JSON.getFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("model_name", m.name());
      g.writeStringField("id", id);
      g.writeObjectFieldStart("parameters");
      g.writeStringField("sampler", gen.sampler());
      g.writeNumberField("steps", gen.steps());
      g.writeNumberField("seed", gen.seed());
      g.writeNumberField("guidance", gen.guidance());
      if (gen.field() != null && gen.field().resolution() > 0) {
        g.writeNumberField("resolution", gen.field().resolution());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("outputs");
      writeTensor(g, "samples", samples);
      if (gen.labels() != null) {
        writeTensor(g, "labels", Tensor.ofLongs(gen.labels(), gen.labels().length));
      }
      if (gen.field() != null) {
        int d = gen.field().domain().dimension();
        writeTensor(g, "coords", Tensor.of(dev.kiln.graph.DType.FLOAT, gen.field().coords(), gen.field().points(), d));
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return w.toString();
  }

  private static void writeTensor(com.fasterxml.jackson.core.JsonGenerator g, String name, Tensor t)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeStringField("datatype", Datatypes.name(t.dtype()));
    g.writeFieldName("shape");
    g.writeArray(t.shape(), 0, t.rank());
    g.writeFieldName("data");
    InferCodec.writeData(g, t);
    g.writeEndObject();
  }

  private static byte[] png(Generation gen, Tensor samples) throws IOException {
    ImageGrid grid;
    Tensor images = samples;
    if (gen.field() != null) {
      FieldRenders.Sheet sheet = FieldRenders.sheet(gen.field().domain(), samples, gen.field().resolution());
      grid = ImageGrid.forRange(sheet.low(), 1).withColumns(sheet.columns()).withScale(sheet.scale());
      images = sheet.images();
    } else {
      grid = ImageGrid.forRange(-1, 1).withColumns((int) Math.ceil(Math.sqrt(samples.dim(0)))).withScale(4);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(grid.render(images), "png", out);
    return out.toByteArray();
  }
}
