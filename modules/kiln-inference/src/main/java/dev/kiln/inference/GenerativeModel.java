package dev.kiln.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import dev.kiln.spi.StateSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * An exported generative model served by ONNX Runtime, whatever it was trained as: a diffusion
 * denoiser, a phase-space (AGM) model or a one-step generator (a BOOT student). Everything a sampler
 * needs comes from the model file: its state space from its inputs ({@code x}, or {@code x} and
 * {@code v}), and from its {@code metadata_props} the sample shape, the classes it is conditioned on,
 * the sampler settings it was trained with (the noise schedule or the phase-space process) and the
 * sampler and steps it is drawn with by default. A sampler is built from those settings plus the
 * caller's overrides, so a model is always sampled with the process it was trained on.
 *
 * <p>A field model (DPF) reads {@code coords}: its state is the signals at query coordinates the
 * caller chooses, so it is sampled through a view {@link #at(FieldQuery)} whose sample shape is
 * [P, C] for those P queries; the samplers are the ordinary ones.
 *
 * <p>Metadata keys: {@code sample_shape}, {@code num_classes}, {@code data}; the sampler settings as
 * {@code scheduler_config} (diffusers field names) or {@code agm_process} (the {@code process} field of
 * the phase-space samplers); {@code one_step} for one-step generators; {@code default_sampler} and
 * {@code default_steps}; for field models {@code field_domain}, {@code field_resolution} and
 * {@code context_size}.
 */
public final class GenerativeModel implements AutoCloseable {

  /** The steps a sampler takes unless the model's metadata or the caller says otherwise. */
  public static final int DEFAULT_STEPS = 50;

  private final Path path;
  private final Session session;
  private final Map<String, String> metadata;
  private final StateSpace stateSpace;
  private final boolean oneStep;
  private final long[] sampleShape;
  private final int numClasses;
  private final ObjectNode samplerSettings;
  private final FieldQuery query;
  private final boolean ownsSession;

  private GenerativeModel(Path path, Session session, Map<String, String> metadata) {
    this.path = path;
    this.session = session;
    this.metadata = Map.copyOf(metadata);
    this.query = null;
    this.ownsSession = true;
    this.stateSpace = session.inputNames().contains("v") ? StateSpace.PHASE_SPACE : StateSpace.POSITION;
    this.oneStep = Boolean.parseBoolean(metadata.get("one_step"));
    String shape = metadata.get("sample_shape");
    if (shape == null) {
      throw new ConfigException(path + ": not a Kiln generative model (metadata lacks sample_shape)");
    }
    this.sampleShape = parseShape(shape);
    this.numClasses = integer("num_classes", 0);
    this.samplerSettings = samplerSettings();
  }

  /** A view of {@code model} at {@code query}, sharing its session. */
  private GenerativeModel(GenerativeModel model, FieldQuery query) {
    this.path = model.path;
    this.session = model.session;
    this.metadata = model.metadata;
    this.stateSpace = model.stateSpace;
    this.oneStep = model.oneStep;
    this.sampleShape = new long[] {query.pairs(), model.sampleShape[model.sampleShape.length - 1]};
    this.numClasses = model.numClasses;
    this.samplerSettings = model.samplerSettings;
    this.query = query;
    this.ownsSession = false;
  }

  /** Loads an exported model. */
  public static GenerativeModel load(Path path, OrtBackend backend) throws IOException {
    Map<String, String> meta = ModelReader.read(path).metadata();
    Session s;
    try {
      s = backend.load(path);
    } catch (dev.kiln.runtime.KilnRuntimeException e) {
      throw new IOException(e.getMessage() + "; the file is not a model ONNX Runtime runs", e);
    }
    try {
      return new GenerativeModel(path, s, meta);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  public Session session() {
    return session;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** Where ONNX Runtime runs the model. */
  public Device device() {
    return session.device();
  }

  /** The state the model is fed. */
  public StateSpace stateSpace() {
    return stateSpace;
  }

  /** Whether the model is a one-step generator (noise in, sample out). */
  public boolean oneStep() {
    return oneStep;
  }

  /** One sample's shape (without batch). */
  public long[] sampleShape() {
    return sampleShape.clone();
  }

  /** Number of classes for conditioning (0: unconditional). */
  public int numClasses() {
    return numClasses;
  }

  /** Whether the model is a field model (DPF): it reads query coordinates {@code coords}. */
  public boolean isField() {
    return session.inputNames().contains("coords");
  }

  /** A field model's domain ({@code plane}, {@code volume}, {@code sphere}); an error for other models. */
  public String fieldDomain() {
    requireField("has no field domain");
    String d = metadata.get("field_domain");
    if (d == null) {
      throw new ConfigException(path + ": a field model without metadata `field_domain`");
    }
    return d;
  }

  /** The resolution of the grid a field model was trained on. */
  public int fieldResolution() {
    requireField("has no field resolution");
    return integer("field_resolution", 0);
  }

  /** The context size |C| a field model was trained with. */
  public int contextSize() {
    requireField("has no context");
    return integer("context_size", (int) sampleShape[0]);
  }

  /**
   * This field model evaluated at {@code query}: a view sharing the session (close the model, not the
   * view) whose samples are the signals at the query coordinates, {@code [N, P, C]}.
   */
  public GenerativeModel at(FieldQuery query) {
    requireField("takes no query coordinates");
    return new GenerativeModel(this, query);
  }

  /** The query of a view made by {@link #at}, or null. */
  public FieldQuery query() {
    return query;
  }

  private void requireField(String what) {
    if (!isField()) {
      throw new ConfigException(path + " is not a field model (it reads no `coords`); it " + what);
    }
  }

  /** The data set the model was trained on ({@code 8gaussians}, {@code mnist}, …), or null if unrecorded. */
  public String data() {
    String data = metadata.get("data");
    if (data != null) {
      return data;
    }
    JsonNode task = recipe().path("task");
    return task.hasNonNull("data") ? task.get("data").asText() : null;
  }

  /** The recipe the model was trained with (an empty object if unrecorded). */
  public JsonNode recipe() {
    String json = metadata.get("recipe");
    if (json == null) {
      return Configs.mapper().createObjectNode();
    }
    try {
      return Configs.mapper().readTree(json);
    } catch (IOException e) {
      throw new ConfigException(path + ": metadata `recipe` is not JSON: " + e.getMessage());
    }
  }

  /** The sampler settings the model was trained with (the union of what its samplers read). */
  public ObjectNode samplerConfig() {
    return samplerSettings.deepCopy();
  }

  /** The sampler drawn with when none is named. */
  public String defaultSampler() {
    return metadata.getOrDefault("default_sampler", stateSpace == StateSpace.PHASE_SPACE ? "agm-gddim" : "ddim");
  }

  /** The steps for {@code sampler}: one for a one-step sampler, else the model's default. */
  public int defaultSteps(Sampler sampler) {
    return sampler.promises().oneStep() ? 1 : integer("default_steps", DEFAULT_STEPS);
  }

  /**
   * A sampler of {@code provider}'s kind configured with the model's sampler settings, overridden by
   * the fields of {@code overrides} (e.g. {@code {"eta": 0.5, "timestep_spacing": "trailing"}}). The
   * sampler must promise the state the model is fed; an error says so otherwise.
   */
  public Sampler sampler(SamplerProvider<?> provider, JsonNode overrides, String where) {
    ObjectNode merged = samplerConfig();
    // The stored settings are the union of what samplers use; keep the fields this sampler reads.
    Set<String> known = Configs.fieldNames(provider.configType());
    merged.properties().removeIf(e -> !known.contains(e.getKey()));
    if (overrides != null && overrides.isObject()) {
      overrides.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
    }
    Sampler sampler = Providers.create(provider, merged, where);
    Sampler.Promises p = sampler.promises();
    if (p.stateSpace() != stateSpace || p.oneStep() != oneStep) {
      throw new ConfigException(where + ": `" + provider.name() + "` samples " + kind(p.stateSpace(), p.oneStep())
          + ", but " + path + " is " + kind(stateSpace, oneStep) + "; its default sampler is `" + defaultSampler()
          + "`");
    }
    return sampler;
  }

  /** The denoiser: unconditional, or for these labels with guidance scale {@code guidance}. */
  public Denoiser denoiser(long[] labels, double guidance) {
    Function<Map<String, Tensor>, Map<String, Tensor>> run = session::run;
    if (isField()) {
      if (query == null) {
        throw new ConfigException(path + " is a field model: choose its query coordinates first (GenerativeModel.at,"
            + " or kiln sample --resolution / --coords)");
      }
      run = query.feeding(run);
    }
    if (labels == null) {
      return ModelDenoiser.unconditional(run);
    }
    if (numClasses == 0) {
      throw new ConfigException(path + ": the model is unconditional; it takes no labels");
    }
    for (long l : labels) {
      if (l < 0 || l >= numClasses) {
        throw new ConfigException("label " + l + " is outside the model's classes 0.." + (numClasses - 1));
      }
    }
    return ModelDenoiser.conditional(run, labels, numClasses, guidance);
  }

  /** The unconditional denoiser. */
  public Denoiser denoiser() {
    return denoiser(null, 1);
  }

  /** Draws {@code count} samples with {@code steps} sampler steps from the seed. */
  public Tensor sample(Sampler sampler, Denoiser denoiser, int count, int steps, long seed) {
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = count;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    return sampler.sample(denoiser, shape, steps, new SplittableRandom(seed));
  }

  /** Closes the session; a view made by {@link #at} leaves it to the model it came from. */
  @Override
  public void close() {
    if (ownsSession) {
      session.close();
    }
  }

  private static String kind(StateSpace space, boolean oneStep) {
    return oneStep ? "a one-step generator" : "a model of " + space.description();
  }

  private ObjectNode samplerSettings() {
    String schedule = metadata.get("scheduler_config");
    String process = metadata.get("agm_process");
    if (schedule == null && process == null) {
      throw new ConfigException(path + ": not a Kiln generative model (metadata has neither scheduler_config nor"
          + " agm_process)");
    }
    try {
      ObjectNode settings = schedule != null ? (ObjectNode) Configs.mapper().readTree(schedule)
          : Configs.mapper().createObjectNode();
      if (process != null) {
        settings.set("process", Configs.mapper().readTree(process));
      }
      return settings;
    } catch (IOException | ClassCastException e) {
      throw new ConfigException(path + ": metadata " + (schedule != null ? "scheduler_config" : "agm_process")
          + " is not a JSON object: " + e.getMessage());
    }
  }

  private int integer(String key, int dflt) {
    String v = metadata.get(key);
    try {
      return v == null ? dflt : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(path + ": metadata `" + key + "` must be an integer, got `" + v + "`");
    }
  }

  private long[] parseShape(String shape) {
    try {
      return Arrays.stream(shape.replaceAll("[\\[\\] ]", "").split(",")).mapToLong(Long::parseLong).toArray();
    } catch (NumberFormatException e) {
      throw new ConfigException(path + ": metadata `sample_shape` must be a list of integers, got `" + shape + "`");
    }
  }
}
