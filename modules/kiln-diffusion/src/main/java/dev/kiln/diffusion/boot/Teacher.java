package dev.kiln.diffusion.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.diffusion.samplers.DdimConfig;
import dev.kiln.diffusion.samplers.DdimSampler;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A trained diffusion model to distil, read from its exported ONNX file: the weights (initializers by
 * parameter name) and the metadata Kiln wrote at export (training schedule, sample shape, classes,
 * recipe). Distillation rebuilds the teacher's graph from the same architecture and feeds it these
 * weights.
 *
 * @param path the model file
 * @param metadata the model's {@code metadata_props}
 * @param weights every initializer, by name
 */
public record Teacher(Path path, Map<String, String> metadata, Map<String, Tensor> weights) {

  public Teacher {
    metadata = Map.copyOf(metadata);
    weights = Map.copyOf(weights);
    for (String key : new String[] {"scheduler_config", "sample_shape"}) {
      if (!metadata.containsKey(key)) {
        throw new ConfigException(path + ": not a Kiln diffusion model (metadata lacks " + key + ")");
      }
    }
  }

  /** Reads an exported diffusion model. */
  public static Teacher load(Path path) throws IOException {
    ModelReader.LoadedModel m = ModelReader.read(path);
    Map<String, Tensor> w = new LinkedHashMap<>();
    m.initializers().forEach((k, v) -> w.put(k, Tensor.fromProto(v)));
    return new Teacher(path, m.metadata(), w);
  }

  /** One sample's shape, without the batch axis. */
  public long[] sampleShape() {
    return Arrays.stream(metadata.get("sample_shape").replaceAll("[\\[\\] ]", "").split(","))
        .mapToLong(Long::parseLong).toArray();
  }

  /** Classes the teacher is conditioned on (0: unconditional); label {@code numClasses()} is "no class". */
  public int numClasses() {
    return Integer.parseInt(metadata.getOrDefault("num_classes", "0"));
  }

  /** The training schedule in diffusers field names, as the teacher's metadata stores it. */
  public ObjectNode schedulerConfig() {
    try {
      return (ObjectNode) Configs.mapper().readTree(metadata.get("scheduler_config"));
    } catch (IOException e) {
      throw new ConfigException(path + ": metadata scheduler_config is not JSON: " + e.getMessage());
    }
  }

  /**
   * DDIM (η = 0) on the teacher's schedule with trailing spacing and no clipping of x̂₀: the
   * deterministic sampler whose trajectories BOOT distils and whose steps the student is compared with.
   */
  public DdimSampler ddim() {
    ObjectNode c = schedulerConfig();
    Set<String> known = Configs.fieldNames(DdimConfig.class);
    c.properties().removeIf(e -> !known.contains(e.getKey()));
    c.put("timestep_spacing", "trailing").put("clip_sample", false).put("eta", 0.0).put("set_alpha_to_one", true);
    return new DdimSampler(Configs.read(c, DdimConfig.class, path + ": scheduler_config"));
  }

  /** The section {@code name} of the recipe the teacher was trained with (its architecture, say). */
  public JsonNode recipeSection(String name) {
    String recipe = metadata.get("recipe");
    if (recipe == null) {
      throw new ConfigException(path + ": metadata lacks the training recipe");
    }
    try {
      return Configs.mapper().readTree(recipe).path(name);
    } catch (IOException e) {
      throw new ConfigException(path + ": metadata recipe is not JSON: " + e.getMessage());
    }
  }

  /** The teacher's weights for a graph with the same architecture (parameters named as at export). */
  public Weights weightsFor(Iterable<String> parameterNames) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (String name : parameterNames) {
      m.put(name, weight(name).copy());
    }
    return Weights.of(m);
  }

  /** The initializer of parameter {@code name}. */
  public Tensor weight(String name) {
    Tensor t = weights.get(name);
    if (t == null) {
      throw new ConfigException(path + " has no initializer `" + name + "`: the architecture differs from the"
          + " teacher's, or the parameter was folded into a constant at export");
    }
    return t;
  }
}
