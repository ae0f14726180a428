package dev.kiln.text.planner;

import dev.kiln.graph.Graph;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Weights;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;

/**
 * The files of an exported decoder in a model folder: {@code <name>.onnx} (the whole sequence:
 * {@code latent}, {@code tokens} → {@code logits}, {@code states}), {@code <name>_prefill.onnx} and
 * {@code <name>_step.onnx} (KV-cache decoding), all with the same trained weights; and the folder's
 * {@code model.properties} with the sizes.
 */
final class DecoderFiles {

  static final String PROPERTIES = "model.properties";

  private DecoderFiles() {}

  static void write(Path dir, String name, PlannerConfig c, Weights w, Map<String, String> metadata)
      throws IOException {
    LatentPrefixDecoder dec = new LatentPrefixDecoder(c, PlannerTraining.ACTIVATION);
    Graph whole = new Graph(name);
    Map<String, dev.kiln.graph.Value> in = dec.declareInputs(whole);
    LatentPrefixDecoder.Declared d = dec.declare(whole);
    dev.kiln.graph.Value states = d.states(whole, in.get("latent"), in.get("tokens"));
    whole.output("states", states);
    whole.output("logits", whole.matMul(states, whole.transpose(d.tokens().weight(), 1, 0)));
    writeModel(whole, w, metadata, dir.resolve(name + ".onnx"));
    Graph prefill = new Graph(name + "_prefill");
    dec.buildPrefill(prefill);
    writeModel(prefill, w, metadata, dir.resolve(name + "_prefill.onnx"));
    Graph step = new Graph(name + "_step");
    dec.buildStep(step);
    writeModel(step, w, metadata, dir.resolve(name + "_step.onnx"));
  }

  static void writeModel(Graph g, Weights w, Map<String, String> metadata, Path file) throws IOException {
    ModelWriter.of(g).weights(w.toProtos()).metadata(metadata).docString(g.name() + " exported by Kiln")
        .write(file);
  }

  static Session load(OrtBackend backend, Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "the model folder has no " + file.getFileName()
          + "; export the model again");
    }
    return backend.load(file);
  }

  static void writeProperties(Path dir, PlannerConfig c, String kind) throws IOException {
    Properties p = new Properties();
    p.setProperty("kind", kind);
    p.setProperty("vocab", Integer.toString(c.vocab()));
    p.setProperty("length", Integer.toString(c.length()));
    p.setProperty("latents", Integer.toString(c.latents()));
    p.setProperty("latent_dim", Integer.toString(c.latentDim()));
    p.setProperty("dim", Integer.toString(c.dim()));
    p.setProperty("layers", Integer.toString(c.layers()));
    p.setProperty("heads", Integer.toString(c.heads()));
    p.setProperty("dit_dim", Integer.toString(c.ditDim()));
    p.setProperty("dit_layers", Integer.toString(c.ditLayers()));
    p.setProperty("dit_heads", Integer.toString(c.ditHeads()));
    p.setProperty("prefix_length", Integer.toString(c.prefixLength()));
    p.setProperty("classes", Integer.toString(c.classes()));
    Path tmp = Files.createTempFile(dir, PROPERTIES, ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "PLANNER model sizes");
    }
    Files.move(tmp, dir.resolve(PROPERTIES), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The {@code kind} in {@code dir}'s properties, or null when {@code dir} holds none (or it cannot be read). */
  static String kind(Path dir) {
    Path file = dir.resolve(PROPERTIES);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    return p.getProperty("kind");
  }

  /** The sizes in {@code dir}'s properties; {@code kind} must match. */
  static PlannerConfig readProperties(Path dir, String kind) throws IOException {
    Path file = dir.resolve(PROPERTIES);
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "not a PLANNER model folder (no " + PROPERTIES + ")");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String k = p.getProperty("kind");
    if (!kind.equals(k)) {
      throw new IOException(file + ": field `kind` must be `" + kind + "` for this command, got `" + k + "`");
    }
    try {
      return new PlannerConfig(integer(p, file, "vocab"), integer(p, file, "length"), integer(p, file, "latents"),
          integer(p, file, "latent_dim"), integer(p, file, "dim"), integer(p, file, "layers"),
          integer(p, file, "heads"), integer(p, file, "dit_dim"), integer(p, file, "dit_layers"),
          integer(p, file, "dit_heads"), integer(p, file, "prefix_length"), integer(p, file, "classes"));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static int integer(Properties p, Path file, String field) throws IOException {
    String v = p.getProperty(field);
    try {
      return Integer.parseInt(v == null ? "" : v.trim());
    } catch (NumberFormatException e) {
      throw new IOException(file + ": field `" + field + "` must be an integer, got `" + v + "`", e);
    }
  }
}
