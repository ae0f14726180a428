package dev.kiln.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.inference.Domain;
import dev.kiln.inference.FieldQuery;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.inference.ModelDenoiser;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One generate request: the sampler loop of {@code kiln sample} (same field names: sampler, steps, seed,
 * count, label, guidance) over a denoiser whose calls go through the model's step batcher, so loops of
 * concurrent requests share each ONNX Runtime call. The sampler arithmetic and all noise stay in this
 * request's thread and generator; only the model rows are batched, and ONNX Runtime gives a row the same
 * bits in any batch ({@code RowIndependenceTest}), so a request's samples are bit-identical alone and in
 * a batch.
 *
 * @param sampler the sampler's name
 * @param steps sampler steps
 * @param seed the seed of every draw
 * @param labels one label per sample (null: unconditional)
 * @param guidance classifier-free guidance scale
 * @param png whether the client wants a PNG grid rather than tensors
 * @param field for a field model (DPF), where it is evaluated: the grid resolution or the coordinates the
 *     request names; null for every other model
 */
record Generation(GenerativeModel model, Sampler built, String sampler, int steps, long seed, int count,
    long[] labels, double guidance, boolean png, Field field) {

  /**
   * The query of a field model's request: {@code resolution} (the domain's grid at that resolution; by
   * default the one it was trained on) or {@code coords} (a list of points, each of the domain's
   * dimension). The context is {@code context_size} of the queries, drawn by the request's seed, and is
   * read from the current noisy state at every step.
   *
   * @param domain the model's domain
   * @param resolution the grid resolution, or 0 for coordinates from the request
   * @param coords the query coordinates [P·D]
   */
  record Field(Domain domain, int resolution, double[] coords) {

    /** The highest grid resolution a request may ask for (the largest grid of {@code kiln sample}). */
    static final int MAX_RESOLUTION = 512;

    static Field parse(JsonNode req, GenerativeModel model, ServeOptions limits) {
      Domain domain = Domain.parse(model.fieldDomain(), model.path() + ": metadata field_domain");
      if (req.hasNonNull("resolution") && req.hasNonNull("coords")) {
        throw ApiException.badRequest("resolution and coords: give one of them");
      }
      if (!req.hasNonNull("coords")) {
        int r = req.hasNonNull("resolution") ? intField(req, "resolution", 1, MAX_RESOLUTION)
            : model.fieldResolution();
        long points = 1;
        for (int g : domain.gridShape(r)) {
          points *= g;
        }
        requirePoints(points, domain.dimension(), limits, "resolution " + r);
        return new Field(domain, r, domain.grid(r));
      }
      JsonNode list = req.get("coords");
      int d = domain.dimension();
      if (!list.isArray() || list.isEmpty()) {
        throw ApiException.badRequest("coords must be a non-empty array of points, each of " + d
            + " numbers (a point of the model's " + domain.id() + " domain)");
      }
      requirePoints(list.size(), d, limits, "coords");
      double[] coords = new double[list.size() * d];
      for (int i = 0; i < list.size(); i++) {
        JsonNode p = list.get(i);
        if (!p.isArray() || p.size() != d) {
          throw ApiException.badRequest("coords[" + i + "] must be an array of " + d + " numbers, got " + p);
        }
        for (int c = 0; c < d; c++) {
          JsonNode v = p.get(c);
          if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw ApiException.badRequest("coords[" + i + "][" + c + "] must be a finite number, got " + v);
          }
          coords[i * d + c] = v.asDouble();
        }
      }
      return new Field(domain, 0, coords);
    }

    private static void requirePoints(long points, int dimension, ServeOptions limits, String what) {
      if (points * dimension > limits.maxTensorElements()) {
        throw ApiException.badRequest(what + ": " + points + " query points of " + dimension
            + " coordinates is over the server's limit of " + limits.maxTensorElements() + " elements");
      }
    }

    /** The points queried. */
    int points() {
      return coords.length / domain.dimension();
    }
  }

  /** A step of a running generation, for {@code generate_stream}. */
  interface Progress {
    void step(int done, int total);
  }

  /** Reads a generate request; each bad field is a 400 naming it. */
  static Generation parse(JsonNode req, ServedModel served, Map<String, SamplerProvider<?>> samplers,
      ServeOptions limits) {
    GenerativeModel model = served.generative();
    if (model == null) {
      throw ApiException.badRequest("model `" + served.name() + "` is not generative; use infer");
    }
    String name = req.hasNonNull("sampler") ? textField(req, "sampler") : model.defaultSampler();
    Sampler sampler;
    try {
      SamplerProvider<?> provider = Providers.named(samplers, name, "sampler");
      sampler = model.sampler(provider, req.get("sampler_config"), "sampler_config");
    } catch (ConfigException | IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    int steps = req.hasNonNull("steps") ? intField(req, "steps", 1, limits.maxSteps()) : model.defaultSteps(sampler);
    long seed = req.hasNonNull("seed") ? longField(req, "seed") : 0;
    int count = req.hasNonNull("count") ? intField(req, "count", 1, limits.maxGenerateCount()) : 1;
    Field field = null;
    if (model.isField()) {
      field = Field.parse(req, model, limits);
      if ((long) count * field.points() > limits.maxTensorElements()) {
        throw ApiException.badRequest("count: " + count + " samples of " + field.points()
            + " points is over the server's limit of " + limits.maxTensorElements() + " elements");
      }
      model = model.at(FieldQuery.of(field.coords(), field.domain().dimension(), model.contextSize(), seed));
    } else if (req.hasNonNull("resolution") || req.hasNonNull("coords")) {
      throw ApiException.badRequest((req.hasNonNull("resolution") ? "resolution" : "coords") + ": model `"
          + served.name() + "` is not a field model (DPF)");
    }
    double guidance = 1;
    if (req.hasNonNull("guidance")) {
      if (!req.get("guidance").isNumber()) {
        throw ApiException.badRequest("guidance must be a number, got " + req.get("guidance"));
      }
      guidance = req.get("guidance").asDouble();
    }
    long[] labels = null;
    int classes = model.numClasses();
    if (classes > 0) {
      Integer label = req.hasNonNull("label") ? intField(req, "label", 0, classes - 1) : null;
      labels = new long[count];
      for (int i = 0; i < count; i++) {
        labels[i] = label != null ? label : i % classes;
      }
    } else if (req.hasNonNull("label") || guidance != 1) {
      throw ApiException.badRequest((req.hasNonNull("label") ? "label" : "guidance") + ": model `" + served.name()
          + "` is unconditional");
    }
    String format = req.hasNonNull("format") ? textField(req, "format") : "tensor";
    if (!format.equals("tensor") && !format.equals("png")) {
      throw ApiException.badRequest("format must be `tensor` or `png`, got `" + format + "`");
    }
    if (format.equals("png") && (field != null ? field.resolution() == 0 : model.sampleShape().length != 3)) {
      throw ApiException.badRequest("format: " + (field != null ? "samples at listed coordinates"
          : "samples of shape " + java.util.Arrays.toString(model.sampleShape()))
          + " are not images; ask for `tensor`");
    }
    return new Generation(model, sampler, name, steps, seed, count, labels, guidance, format.equals("png"), field);
  }

  /**
   * The fields every generate request shares, checked against the server's limits for a model that
   * reads its request itself (a folder model): {@code count}, {@code steps} and {@code seed}.
   */
  static void checkSharedFields(JsonNode req, ServeOptions limits) {
    if (req.hasNonNull("count")) {
      intField(req, "count", 1, limits.maxGenerateCount());
    }
    if (req.hasNonNull("steps")) {
      intField(req, "steps", 1, limits.maxSteps());
    }
    if (req.hasNonNull("seed")) {
      longField(req, "seed");
    }
  }

  /** Model calls one sample draws (two per step under guidance other than 0 and 1). */
  int evaluations() {
    return built.evaluations(steps) * (labels != null && guidance != 1 && guidance != 0 ? 2 : 1);
  }

  /**
   * Runs the sampler loop; {@code batcher} null runs every call alone on the session.
   *
   * @param wanted false once the client is gone: the loop stops at its next model call
   */
  Tensor run(Batcher batcher, BooleanSupplier wanted, long deadlineNanos, Progress progress) {
    try (StepLoop loop = new StepLoop(batcher, model.session()::run, wanted, deadlineNanos, evaluations(),
        progress)) {
      Function<Map<String, Tensor>, Map<String, Tensor>> run = in -> loop.run(in, Set.of("out"));
      // a field model's rows carry their coordinates and context, so they batch like any other rows
      Function<Map<String, Tensor>, Map<String, Tensor>> call = field == null ? run : model.query().feeding(run);
      Denoiser d = labels == null ? ModelDenoiser.unconditional(call)
          : ModelDenoiser.conditional(call, labels, model.numClasses(), guidance);
      return model.sample(built, d, count, steps, seed);
    }
  }

  private static String textField(JsonNode req, String key) {
    if (!req.get(key).isTextual()) {
      throw ApiException.badRequest(key + " must be a string, got " + req.get(key));
    }
    return req.get(key).asText();
  }

  private static long longField(JsonNode req, String key) {
    JsonNode v = req.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ApiException.badRequest(key + " must be an integer, got " + v);
    }
    return v.asLong();
  }

  private static int intField(JsonNode req, String key, int min, int max) {
    long v = longField(req, key);
    if (v < min || v > max) {
      throw ApiException.badRequest(key + " must be in " + min + ".." + max + ", got " + v);
    }
    return (int) v;
  }
}
