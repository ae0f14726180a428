package dev.kiln.diffusion.agm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.DType;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.spi.PhaseSpaceDenoiser;
import dev.kiln.spi.PhaseSpaceSampler;
import dev.kiln.spi.PhaseSpaceSamplerProvider;
import dev.kiln.spi.Providers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * An exported AGM model (plain ONNX, inputs {@code x}, {@code v}, {@code t}, output {@code out})
 * served by ONNX Runtime, with the process its metadata carries. Samplers are built with that
 * process plus the caller's settings, so a model is always sampled with the dynamics it was trained on.
 */
public final class AgmModel implements AutoCloseable {

  private final Path path;
  private final Session session;
  private final long[] sampleShape;
  private final AgmProcess process;
  private final String data;

  private AgmModel(Path path, Session session, Map<String, String> metadata) {
    this.path = path;
    this.session = session;
    this.data = metadata.get("data");
    String shape = metadata.get("sample_shape");
    String proc = metadata.get("agm_process");
    if (shape == null || proc == null) {
      throw new ConfigException(path + ": not a Kiln AGM model (metadata lacks sample_shape or agm_process)");
    }
    this.sampleShape = Arrays.stream(shape.replaceAll("[\\[\\] ]", "").split(",")).mapToLong(Long::parseLong)
        .toArray();
    try {
      this.process = Configs.read(Configs.mapper().readTree(proc), AgmProcess.class, path + ": agm_process");
    } catch (IOException e) {
      throw new ConfigException(path + ": metadata agm_process is not JSON: " + e.getMessage());
    }
  }

  /** Loads an exported model. */
  public static AgmModel load(Path path, OrtBackend backend) throws IOException {
    Map<String, String> meta = ModelReader.read(path).metadata();
    Session s = backend.load(path);
    try {
      return new AgmModel(path, s, meta);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** The process the model was trained on. */
  public AgmProcess process() {
    return process;
  }

  /** The data set the model was trained on ({@code 8gaussians}, {@code mnist}, …), or null if unrecorded. */
  public String data() {
    return data;
  }

  /** Where ONNX Runtime runs the model. */
  public dev.kiln.runtime.Device device() {
    return session.device();
  }

  /** One sample's shape (without batch). */
  public long[] sampleShape() {
    return sampleShape.clone();
  }

  /** A sampler of {@code provider}'s kind with the model's process, overridden by {@code overrides}. */
  public PhaseSpaceSampler sampler(PhaseSpaceSamplerProvider<?> provider, JsonNode overrides, String where) {
    ObjectNode merged = Configs.mapper().createObjectNode();
    merged.set("process", Configs.toTree(process));
    if (overrides != null && overrides.isObject()) {
      overrides.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
    }
    return Providers.create(provider, merged, where);
  }

  /** The model as a phase-space denoiser. */
  public PhaseSpaceDenoiser denoiser() {
    return denoiser(session::run);
  }

  /** A phase-space denoiser over any runner with inputs x, v, t and output out (a session or live graph). */
  public static PhaseSpaceDenoiser denoiser(Function<Map<String, Tensor>, Map<String, Tensor>> model) {
    return (x, v, t) -> {
      Tensor tt = Tensor.zeros(DType.FLOAT, x.dim(0));
      tt.fill(t);
      Map<String, Tensor> in = new LinkedHashMap<>();
      in.put("x", x);
      in.put("v", v);
      in.put("t", tt);
      return model.apply(in).get("out");
    };
  }

  /** Draws {@code count} samples with {@code steps} sampler steps from the seed. */
  public Tensor sample(PhaseSpaceSampler sampler, PhaseSpaceDenoiser denoiser, int count, int steps, long seed) {
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
