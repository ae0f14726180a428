package dev.kiln.diffusion.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An exported diffusion model served by ONNX Runtime, with the training schedule its metadata
 * carries. Samplers are built from that schedule plus the caller's sampler settings, so a model is
 * always sampled with the noise schedule it was trained on.
 */
public final class DiffusionModel implements AutoCloseable {

  private final Session session;
  private final Map<String, String> metadata;
  private final long[] sampleShape;
  private final int numClasses;
  private final ObjectNode schedulerConfig;
  private final Path path;

  private DiffusionModel(Path path, Session session, Map<String, String> metadata) {
    this.path = path;
    this.session = session;
    this.metadata = metadata;
    String shape = metadata.get("sample_shape");
    String sched = metadata.get("scheduler_config");
    if (shape == null || sched == null) {
      throw new ConfigException(path + ": not a Kiln diffusion model (metadata lacks sample_shape or"
          + " scheduler_config)");
    }
    this.sampleShape = Arrays.stream(shape.replaceAll("[\\[\\] ]", "").split(",")).mapToLong(Long::parseLong)
        .toArray();
    this.numClasses = Integer.parseInt(metadata.getOrDefault("num_classes", "0"));
    try {
      this.schedulerConfig = (ObjectNode) Configs.mapper().readTree(sched);
    } catch (IOException e) {
      throw new ConfigException(path + ": metadata scheduler_config is not JSON: " + e.getMessage());
    }
  }

  /** Loads an exported model. */
  public static DiffusionModel load(Path path, OrtBackend backend) throws IOException {
    Map<String, String> meta = ModelReader.read(path).metadata();
    Session s = backend.load(path);
    try {
      return new DiffusionModel(path, s, meta);
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

  /** One sample's shape (without batch). */
  public long[] sampleShape() {
    return sampleShape.clone();
  }

  /** Number of classes for conditioning (0: unconditional). */
  public int numClasses() {
    return numClasses;
  }

  /** The training schedule in diffusers field names. */
  public ObjectNode schedulerConfig() {
    return schedulerConfig.deepCopy();
  }

  /**
   * A sampler of {@code provider}'s kind configured with the training schedule, overridden by the
   * fields of {@code overrides} (e.g. {@code {"eta": 0.5, "timestep_spacing": "trailing"}}).
   */
  public Sampler sampler(SamplerProvider<?> provider, JsonNode overrides, String where) {
    ObjectNode merged = schedulerConfig();
    // The stored schedule is the union of what samplers use; keep the fields this sampler's config has.
    java.util.Set<String> known = new java.util.HashSet<>();
    if (provider.configType().isRecord()) {
      for (var c : provider.configType().getRecordComponents()) {
        known.add(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
      }
      merged.properties().removeIf(e -> !known.contains(e.getKey()));
    }
    if (overrides != null && overrides.isObject()) {
      overrides.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
    }
    return Providers.create(provider, merged, where);
  }

  /** The denoiser: unconditional, or for these labels with guidance scale {@code guidance}. */
  public Denoiser denoiser(long[] labels, double guidance) {
    if (labels == null || numClasses == 0) {
      if (labels != null) {
        throw new ConfigException(path + ": the model is unconditional; it takes no labels");
      }
      return ModelDenoiser.unconditional(session::run);
    }
    for (long l : labels) {
      if (l < 0 || l >= numClasses) {
        throw new ConfigException("label " + l + " is outside the model's classes 0.." + (numClasses - 1));
      }
    }
    return ModelDenoiser.conditional(session::run, labels, numClasses, guidance);
  }

  /** Draws {@code count} samples with {@code steps} sampler steps from the seed. */
  public Tensor sample(Sampler sampler, Denoiser denoiser, int count, int steps, long seed) {
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = count;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    return sampler.sample(denoiser, shape, steps, new SplittableRandom(seed));
  }

  @Override
  public void close() {
    session.close();
  }
}
