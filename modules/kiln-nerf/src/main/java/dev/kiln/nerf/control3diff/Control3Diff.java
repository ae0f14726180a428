package dev.kiln.nerf.control3diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.nerf.render.Camera;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.train.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Control3Diff (Chen et al., "Control3Diff: Learning Controllable 3D Diffusion Models from Single-view
 * Images", arXiv 2304.06700): a 3D-aware GAN learned from single views gives a latent space w in
 * which a diffusion model, trained on the GAN's own samples with the plain objective and no
 * auxiliary supervision, is conditioned on any control c = f(R(G(w), π)):
 *
 * <pre>
 *   data:        z ~ N(0, I),  w = mapping(z),  π ~ p(π),  I = R(G(w), π),  c = f(I)
 *   conditioning: w ~ p_φ(w | c, π)                                (classifier-free guidance)
 *   guidance:     w ~ p_φ(w) with ∇ log p(c | w) ≈ −∇ℓ(f(R(G(w), π)), c) through the renderer
 * </pre>
 *
 * This class holds the GAN ({@link TriplaneGan}), one conditional prior per control and the
 * unconditional prior, samples by either route ({@link ControlledSampler}) and renders results from
 * any camera. A trained model is a folder of safetensors files ({@link #save}, {@link #load}).
 * Report: {@code docs/reproductions/control3diff.md}.
 */
public final class Control3Diff {

  static final String GAN_FILE = "gan.safetensors";
  static final String UNCONDITIONAL_FILE = "prior-unconditional.safetensors";
  /** The exported generator and renderer. */
  public static final String GENERATOR_ONNX = "generator.onnx";
  private static final String PROVENANCE_KEY = "provenance";
  private static final java.util.Set<String> PROVENANCE_KEYS = java.util.Set.of("recipe", "seed", "step", "weights",
      "source_commit", "data_name", "data_sha256");

  private final TriplaneGan gan;
  private final Map<ControlSignal, LatentPrior> conditional;
  private final LatentPrior unconditional;
  private final Map<String, String> provenance = new LinkedHashMap<>();

  /**
   * @param conditional a prior per control it can condition on
   * @param unconditional the prior the guidance route uses
   */
  public Control3Diff(TriplaneGan gan, Map<ControlSignal, LatentPrior> conditional, LatentPrior unconditional) {
    this.gan = gan;
    this.conditional = new EnumMap<>(ControlSignal.class);
    this.conditional.putAll(conditional);
    this.unconditional = unconditional;
  }

  public TriplaneGan gan() {
    return gan;
  }

  /**
   * Records how the model was trained (recipe, seed, step, source commit, data: {@code ModelProvenance}'s
   * export entries), kept by {@link #save} and written into every exported file's metadata.
   */
  public void recordProvenance(Map<String, String> exportMetadata) {
    provenance.clear();
    provenance.putAll(exportMetadata);
  }

  /** What {@link #recordProvenance} recorded (empty if nothing was). */
  public Map<String, String> provenance() {
    return java.util.Collections.unmodifiableMap(provenance);
  }

  /** The prior a route uses for a control. */
  public LatentPrior prior(ControlledSampler.Route route, ControlSignal control) {
    if (route != ControlledSampler.Route.CONDITIONING) {
      return unconditional;
    }
    LatentPrior p = conditional.get(control);
    if (p == null) {
      throw new IllegalArgumentException("this model has no prior conditioned on " + control.id() + "; it has "
          + conditional.keySet().stream().map(ControlSignal::id).toList());
    }
    return p;
  }

  /** The controls this model has a conditional prior for, in {@link ControlSignal} order. */
  public java.util.List<ControlSignal> controls() {
    return conditional.keySet().stream().sorted().toList();
  }

  /** {@code count} styles for control image {@code c} seen from {@code pose}. */
  public List<float[]> sample(ControlledSampler.Route route, ControlSignal control, float[] c, Camera pose, int count,
      ControlledSampler.Settings settings, OrtBackend backend, long seed) {
    return ControlledSampler.sample(route, prior(route, control), gan, control, c, pose, count, settings, backend,
        seed);
  }

  /** Renders each style from each camera: result [style][camera] = image [3, H, W]. */
  public float[][][] render(List<float[]> styles, List<Camera> cameras, OrtBackend backend) {
    List<float[]> ws = new java.util.ArrayList<>();
    List<Camera> cams = new java.util.ArrayList<>();
    for (float[] w : styles) {
      for (Camera c : cameras) {
        ws.add(w);
        cams.add(c);
      }
    }
    List<float[]> images = gan.render(ws, cams, backend);
    float[][][] out = new float[styles.size()][cameras.size()][];
    for (int i = 0; i < images.size(); i++) {
      out[i / cameras.size()][i % cameras.size()] = images.get(i);
    }
    return out;
  }

  /** Writes the GAN and every prior into {@code dir} (each file through a temporary file). */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("gan_config", json(gan.config()));
    if (!provenance.isEmpty()) {
      meta.put(PROVENANCE_KEY, json(provenance));
    }
    SafeTensors.write(dir.resolve(GAN_FILE), gan.weights(), meta);
    savePrior(dir.resolve(UNCONDITIONAL_FILE), unconditional);
    for (Map.Entry<ControlSignal, LatentPrior> e : conditional.entrySet()) {
      savePrior(dir.resolve(priorFile(e.getKey())), e.getValue());
    }
  }

  /**
   * Writes the served forms as plain ONNX files into {@code dir}: {@code generator.onnx} (w and ray
   * samples → image, for {@code batch} rows) and {@code prior-<control>.onnx} /
   * {@code prior-unconditional.onnx} (the denoisers, for {@code batch} rows).
   */
  public void export(Path dir, int batch) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve(GENERATOR_ONNX), gan.exportRenderer(batch,
        json(gan.config()), provenance));
    AtomicFiles.write(dir.resolve("prior-unconditional.onnx"),
        unconditional.export(batch, exportMetadata(unconditional)));
    for (Map.Entry<ControlSignal, LatentPrior> e : conditional.entrySet()) {
      AtomicFiles.write(dir.resolve("prior-" + e.getKey().id() + ".onnx"),
          e.getValue().export(batch, exportMetadata(e.getValue())));
    }
  }

  /** Reads a model {@link #save} wrote; a missing or malformed file is an error naming it. */
  public static Control3Diff load(Path dir) throws IOException {
    Path ganFile = dir.resolve(GAN_FILE);
    if (!Files.isRegularFile(ganFile)) {
      throw new IOException("no Control3Diff model in " + dir + ": " + ganFile.getFileName() + " is missing");
    }
    SafeTensors.Contents g = SafeTensors.read(ganFile);
    GanConfig gc = Configs.read(parse(g.metadata(), "gan_config", ganFile), GanConfig.class, ganFile + " gan_config");
    TriplaneGan gan = TriplaneGan.of(gc, new LinkedHashMap<>(g.tensors()));
    Map<String, String> provenance = new LinkedHashMap<>();
    if (g.metadata().containsKey(PROVENANCE_KEY)) {
      parse(g.metadata(), PROVENANCE_KEY, ganFile).properties().forEach(e -> provenance.put(e.getKey(),
          e.getValue().asText()));
    }
    Map<ControlSignal, LatentPrior> conditional = new EnumMap<>(ControlSignal.class);
    for (ControlSignal c : ControlSignal.values()) {
      Path f = dir.resolve(priorFile(c));
      if (Files.isRegularFile(f)) {
        conditional.put(c, loadPrior(f, gc));
      }
    }
    Control3Diff model = new Control3Diff(gan, conditional, loadPrior(dir.resolve(UNCONDITIONAL_FILE), gc));
    model.recordProvenance(provenance);
    return model;
  }

  /**
   * The model a folder of {@link #export}'s files holds: the generator's weights and settings from
   * {@code generator.onnx}, each prior's weights, control and normalisation from its
   * {@code prior-*.onnx}, the provenance from the generator's metadata. It samples and renders as the
   * trained model does; it has no discriminator, so it cannot be trained further.
   */
  public static Control3Diff fromExports(Path dir) throws IOException {
    Path genFile = dir.resolve(GENERATOR_ONNX);
    if (!Files.isRegularFile(genFile)) {
      throw new java.nio.file.NoSuchFileException(genFile.toString(), null,
          "no exported Control3Diff model (run kiln control3diff export)");
    }
    ModelReader.LoadedModel g = ModelReader.read(genFile);
    GanConfig gc = Configs.read(parse(g.metadata(), "gan_config", genFile), GanConfig.class, genFile + " gan_config");
    TriplaneGan gan = TriplaneGan.of(gc, tensors(g));
    Map<ControlSignal, LatentPrior> conditional = new EnumMap<>(ControlSignal.class);
    for (ControlSignal c : ControlSignal.values()) {
      Path f = dir.resolve("prior-" + c.id() + ".onnx");
      if (Files.isRegularFile(f)) {
        ModelReader.LoadedModel m = ModelReader.read(f);
        conditional.put(c, prior(f, m.metadata(), tensors(m), gc));
      }
    }
    Path u = dir.resolve("prior-unconditional.onnx");
    if (!Files.isRegularFile(u)) {
      throw new java.nio.file.NoSuchFileException(u.toString(), null, "the unconditional prior is missing");
    }
    ModelReader.LoadedModel um = ModelReader.read(u);
    Control3Diff model = new Control3Diff(gan, conditional, prior(u, um.metadata(), tensors(um), gc));
    Map<String, String> meta = new LinkedHashMap<>(g.metadata());
    meta.keySet().retainAll(PROVENANCE_KEYS);
    model.recordProvenance(meta);
    return model;
  }

  private static Map<String, dev.kiln.runtime.Tensor> tensors(ModelReader.LoadedModel m) {
    Map<String, dev.kiln.runtime.Tensor> out = new LinkedHashMap<>();
    m.initializers().forEach((k, v) -> out.put(k, dev.kiln.runtime.Tensor.fromProto(v)));
    return out;
  }

  private Map<String, String> exportMetadata(LatentPrior p) {
    Map<String, String> meta = new LinkedHashMap<>(provenance);
    meta.putAll(priorMetadata(p));
    return meta;
  }

  static String priorFile(ControlSignal c) {
    return "prior-" + c.id() + ".safetensors";
  }

  private static void savePrior(Path file, LatentPrior p) throws IOException {
    SafeTensors.write(file, p.weights(), priorMetadata(p));
  }

  private static Map<String, String> priorMetadata(LatentPrior p) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("prior_config", json(p.config()));
    meta.put("control", p.control() == null ? "none" : p.control().id());
    meta.put("mean", json(p.denormalize(new float[p.style()])));
    meta.put("spread", json(p.spread()));
    return meta;
  }

  private static LatentPrior loadPrior(Path file, GanConfig gc) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("Control3Diff model file " + file + " is missing");
    }
    SafeTensors.Contents c = SafeTensors.read(file);
    return prior(file, c.metadata(), new LinkedHashMap<>(c.tensors()), gc);
  }

  /** A prior from its weights and the metadata {@link #priorMetadata} wrote; a bad field names the file. */
  private static LatentPrior prior(Path file, Map<String, String> metadata, Map<String, dev.kiln.runtime.Tensor> weights,
      GanConfig gc) {
    PriorConfig pc = Configs.read(parse(metadata, "prior_config", file), PriorConfig.class, file + " prior_config");
    String control = metadata.getOrDefault("control", "none");
    ControlSignal signal;
    try {
      signal = control.equals("none") ? null : ControlSignal.parse(control);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": metadata field `control`: " + e.getMessage());
    }
    float[] mean = floats(parse(metadata, "mean", file), gc.style(), file, "mean");
    float[] spread = floats(parse(metadata, "spread", file), gc.style(), file, "spread");
    return LatentPrior.of(pc, signal, gc.style(), gc.imageSize(), weights, mean, spread);
  }

  private static float[] floats(JsonNode n, int size, Path file, String field) {
    if (!n.isArray() || n.size() != size) {
      throw new ConfigException(file + ": metadata field `" + field + "` must be an array of " + size
          + " numbers, got " + n);
    }
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      if (!n.get(i).isNumber()) {
        throw new ConfigException(file + ": metadata field `" + field + "`[" + i + "] must be a number, got "
            + n.get(i));
      }
      out[i] = (float) n.get(i).asDouble();
    }
    return out;
  }

  private static JsonNode parse(Map<String, String> metadata, String field, Path file) {
    String text = metadata.get(field);
    if (text == null) {
      throw new ConfigException(file + ": metadata field `" + field + "` is missing");
    }
    return Configs.parse(text, file + " metadata field `" + field + "`");
  }

  private static String json(Object o) {
    try {
      return Configs.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + o + " as JSON", e);
    }
  }
}
