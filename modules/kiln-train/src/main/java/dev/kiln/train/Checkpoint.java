package dev.kiln.train;

import dev.kiln.graph.Kiln;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in safetensors: {@code param/<name>}, {@code optim/<kind>/<name>},
 * {@code ema/<name>}, with the step, seed and recipe in the metadata. Randomness in Kiln is derived
 * from (seed, purpose, step) (see {@link dev.kiln.runtime.Seeds}), so seed and step are the whole
 * generator state.
 *
 * @param step the last completed step
 * @param seed the run seed
 * @param weights parameter values
 * @param optimizerState optimizer state by {@code <kind>/<name>}
 * @param ema averaged weights, or null
 * @param metadata other metadata (recipe, versions)
 */
public record Checkpoint(long step, long seed, Weights weights, Map<String, Tensor> optimizerState, Weights ema,
    Map<String, String> metadata) {

  /** Writes the checkpoint atomically (temporary file, then move). */
  public void write(Path path) throws IOException {
    Map<String, Tensor> all = new LinkedHashMap<>();
    weights.asMap().forEach((k, v) -> all.put("param/" + k, v));
    optimizerState.forEach((k, v) -> all.put("optim/" + k, v));
    if (ema != null) {
      ema.asMap().forEach((k, v) -> all.put("ema/" + k, v));
    }
    Map<String, String> meta = new LinkedHashMap<>(metadata);
    meta.put("step", Long.toString(step));
    meta.put("seed", Long.toString(seed));
    meta.put("rng", "derived from (seed, purpose, step)");
    meta.put("kiln_version", Kiln.version());
    SafeTensors.write(path, all, meta);
  }

  /** Reads a checkpoint written by {@link #write}. */
  public static Checkpoint read(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new java.nio.file.NoSuchFileException(path.toString(), null, "checkpoint does not exist");
    }
    SafeTensors.Contents c = SafeTensors.read(path);
    Map<String, Tensor> params = new LinkedHashMap<>();
    Map<String, Tensor> optim = new LinkedHashMap<>();
    Map<String, Tensor> ema = new LinkedHashMap<>();
    c.tensors().forEach((k, v) -> {
      if (k.startsWith("param/")) {
        params.put(k.substring(6), v);
      } else if (k.startsWith("optim/")) {
        optim.put(k.substring(6), v);
      } else if (k.startsWith("ema/")) {
        ema.put(k.substring(4), v);
      }
    });
    Map<String, String> meta = new LinkedHashMap<>(c.metadata());
    long step = parseLong(meta.remove("step"), path, "step");
    long seed = parseLong(meta.remove("seed"), path, "seed");
    meta.remove("rng");
    return new Checkpoint(step, seed, Weights.of(params), optim, ema.isEmpty() ? null : Weights.of(ema), meta);
  }

  private static long parseLong(String v, Path path, String field) throws IOException {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException | NullPointerException e) {
      throw new IOException(path + ": metadata field `" + field + "` must be an integer, got " + v, e);
    }
  }
}
