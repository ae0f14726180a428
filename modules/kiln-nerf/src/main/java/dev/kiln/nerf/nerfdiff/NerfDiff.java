package dev.kiln.nerf.nerfdiff;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Configs;
import dev.kiln.spi.process.BetaSchedule;
import dev.kiln.spi.process.NoiseSchedule;
import dev.kiln.train.Checkpoint;
import dev.kiln.train.ModelProvenance;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NerfDiff: single-image view synthesis by NeRF-guided distillation from a 3D-aware conditional
 * diffusion model (Gu et al., ICML 2023, arXiv 2302.10109).
 *
 * <p>A UNet maps the input image I_s to a triplane W in the input camera's frame
 * ({@link CameraAlignedPoints}); a small MLP f_θ decodes the bilinear plane features and volume
 * rendering gives the image I^π_{θ,W} at any view π. A conditional diffusion model denoises the
 * target view with the NeRF's rendering at that view concatenated to its input; it predicts
 * v = α_t ε − σ_t x₀ (the paper's ε_φ is then ε̂ = σ_t z + α_t v̂). Both are trained
 * together on (input view, target view) pairs of training scenes ({@link NerfDiffTrainer}):
 *
 * <pre>
 *   L = ‖I^π_{θ,W(I_s)} − I^π‖²  +  E_{t,ε} ‖v_φ(α_t x₀ + σ_t ε, sg(I^π_{θ,W}), t) − (α_t ε − σ_t x₀)‖²,
 *   x₀ = 2 I^π − 1
 * </pre>
 *
 * At test time NeRF-guided distillation ({@link NerfGuidedDistillation}, Algorithm 1) runs the CDM over
 * a set of virtual views at once, pulls every view's denoised estimate toward the current NeRF
 * rendering, and finetunes (W, θ) on the refined views between diffusion steps. Report:
 * {@code docs/reproductions/nerfdiff.md}.
 */
public final class NerfDiff {

  private static final String CONFIG_KEY = "nerfdiff_config";

  private final NerfDiffConfig config;
  private final NerfDiffGraphs graphs;
  private final NoiseSchedule schedule;
  private final long seed;
  private final Map<String, Tensor> nerf = new LinkedHashMap<>();
  private final Map<String, Tensor> cdm = new LinkedHashMap<>();
  private ModelProvenance provenance = new ModelProvenance(null, null);
  private long steps;

  private NerfDiff(NerfDiffConfig config, long seed) {
    this.config = config;
    this.seed = seed;
    this.graphs = new NerfDiffGraphs(config.model());
    NerfDiffConfig.Model m = config.model();
    this.schedule = NoiseSchedule.of(m.timesteps(), m.betaStart(), m.betaEnd(), BetaSchedule.LINEAR, null, false);
    Graph g = graphs.allParameters();
    Weights w = Weights.initialize(g, seed);
    for (Value p : g.parameters()) {
      (p.name().startsWith("cdm.") ? cdm : nerf).put(p.name(), w.get(p.name()));
    }
  }

  /** A model with freshly initialised encoder, decoder and CDM. */
  public static NerfDiff initialize(NerfDiffConfig config, long seed) {
    return new NerfDiff(config, seed);
  }

  public NerfDiffConfig config() {
    return config;
  }

  /** The seed the weights were initialised from. */
  public long seed() {
    return seed;
  }

  /** How the weights were trained: source commit and data (unknown for a model not trained by the tool). */
  public ModelProvenance provenance() {
    return provenance;
  }

  /** Records how the weights are being trained, for the checkpoint and the exports' metadata. */
  public void recordProvenance(ModelProvenance p) {
    provenance = p;
  }

  /** The diffusion model's noise schedule. */
  public NoiseSchedule schedule() {
    return schedule;
  }

  /** Encoder and decoder weights (live; training updates them). */
  public Map<String, Tensor> nerfWeights() {
    return nerf;
  }

  /** The conditional diffusion model's weights (live). */
  public Map<String, Tensor> cdmWeights() {
    return cdm;
  }

  /** Copies of the decoder's weights, a starting point for test-time finetuning. */
  public Map<String, Tensor> decoderCopy() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    nerf.forEach((k, v) -> {
      if (k.startsWith("decoder.")) {
        out.put(k, v.copy());
      }
    });
    return out;
  }

  /**
   * Writes the weights (encoder, decoder, CDM), the seed and the config to a safetensors checkpoint,
   * atomically.
   */
  public void save(Path file, long steps) throws IOException {
    Map<String, Tensor> all = new LinkedHashMap<>(nerf);
    all.putAll(cdm);
    Map<String, String> meta = new LinkedHashMap<>(provenance.checkpointMetadata());
    meta.put(CONFIG_KEY, Configs.toTree(config).toString());
    new Checkpoint(steps, seed, Weights.of(all), Map.of(), null, meta).write(file);
    this.steps = steps;
  }

  /** Reads a model written by {@link #save}. */
  public static NerfDiff load(Path file) throws IOException {
    Checkpoint c = Checkpoint.read(file);
    String text = c.metadata().get(CONFIG_KEY);
    if (text == null) {
      throw new IOException(file + ": not a NerfDiff checkpoint (no `" + CONFIG_KEY + "` in its metadata)");
    }
    NerfDiffConfig config = Configs.read(Configs.parse(text, file + " metadata " + CONFIG_KEY), NerfDiffConfig.class,
        file + " metadata " + CONFIG_KEY);
    NerfDiff model = new NerfDiff(config, c.seed());
    model.provenance = ModelProvenance.fromMetadata(c.metadata());
    model.steps = c.step();
    for (Map<String, Tensor> part : List.of(model.nerf, model.cdm)) {
      for (Map.Entry<String, Tensor> e : part.entrySet()) {
        Tensor saved = c.weights().asMap().get(e.getKey());
        if (saved == null || saved.size() != e.getValue().size()) {
          throw new IOException(file + ": parameter `" + e.getKey() + "` is " + (saved == null ? "missing"
              : "of size " + saved.size() + ", the config needs " + e.getValue().size()));
        }
        e.getValue().copyFrom(saved);
      }
    }
    return model;
  }

  /**
   * The model its exports hold: the single-image NeRF (encoder and decoder weights, config and seed in
   * its metadata) and the CDM. A file that is not a NerfDiff export, or lacks a weight, is named.
   */
  public static NerfDiff fromExports(Path singleImageNerf, Path cdmFile) throws IOException {
    ModelReader.LoadedModel nerfFile = ModelReader.read(singleImageNerf);
    String text = nerfFile.metadata().get("kiln.config");
    if (text == null || !"nerfdiff".equals(nerfFile.metadata().get("kiln.method"))) {
      throw new IOException(singleImageNerf + ": not a NerfDiff export (metadata `kiln.method` is "
          + nerfFile.metadata().get("kiln.method") + ")");
    }
    NerfDiffConfig config = Configs.read(Configs.parse(text, singleImageNerf + " metadata kiln.config"),
        NerfDiffConfig.class, singleImageNerf + " metadata kiln.config");
    NerfDiff model = new NerfDiff(config, Long.parseLong(nerfFile.metadata().getOrDefault("kiln.seed", "0")));
    model.provenance = ModelProvenance.fromMetadata(nerfFile.metadata());
    model.steps = Long.parseLong(nerfFile.metadata().getOrDefault("step", "0"));
    copyWeights(model.nerf, singleImageNerf, nerfFile.initializers());
    copyWeights(model.cdm, cdmFile, ModelReader.read(cdmFile).initializers());
    return model;
  }

  private static void copyWeights(Map<String, Tensor> into, Path file, Map<String, TensorProto> from)
      throws IOException {
    for (Map.Entry<String, Tensor> e : into.entrySet()) {
      TensorProto p = from.get(e.getKey());
      Tensor t = p == null ? null : Tensor.fromProto(p);
      if (t == null || t.size() != e.getValue().size()) {
        throw new IOException(file + ": weight `" + e.getKey() + "` is " + (t == null ? "missing"
            : "of size " + t.size() + ", the config needs " + e.getValue().size()));
      }
      e.getValue().copyFrom(t);
    }
  }

  NerfDiffGraphs graphs() {
    return graphs;
  }

  /** Camera-aligned triplanes W [3C·S·S] of {@code images} (each [3, S, S] in [0, 1]), one per image. */
  public float[][] encode(List<float[]> images, OrtBackend backend) {
    int n = images.size();
    int s = config.model().imageSize();
    Tensor in = Tensor.zeros(DType.FLOAT, n, 3, s, s);
    FloatBuffer b = in.floats();
    for (int i = 0; i < n; i++) {
      b.put(i * 3 * s * s, images.get(i));
    }
    try (Session session = backend.load(exportEncoder(n))) {
      float[] all = session.run(Map.of("image", in)).get("planes").toFloatArray();
      int size = graphs.field().config().codeSize();
      float[][] out = new float[n][size];
      for (int i = 0; i < n; i++) {
        System.arraycopy(all, i * size, out[i], 0, size);
      }
      return out;
    }
  }

  /** The encoder as a plain ONNX model: {@code image [B, 3, S, S]} → {@code planes [B, 3C, S, S]}. */
  public byte[] exportEncoder(int batch) {
    return export(graphs.encoder(batch), nerf, "NerfDiff encoder: image -> camera-aligned triplanes");
  }

  /**
   * The single-image NeRF as a plain ONNX model: {@code image [B, 3, S, S]} and {@code points [B, P, 3]}
   * in the image's camera-aligned coordinates → {@code density [B, P]} and {@code color [B, P, 3]};
   * composite with the volume renderer's host face.
   */
  public byte[] exportSingleImageNerf(int batch, long points) {
    return export(graphs.singleImageField(batch, points), nerf,
        "NerfDiff single-image NeRF: image, camera-aligned points -> density, color");
  }

  /**
   * The conditional diffusion model as a plain ONNX model: {@code z}, {@code cond [B, 3, S, S]},
   * {@code t [B]} → {@code v} (v-prediction).
   */
  public byte[] exportCdm(int batch) {
    return export(graphs.cdm(batch), cdm, "NerfDiff 3D-aware conditional diffusion model: z_t, rendering, t -> v");
  }

  private byte[] export(Graph g, Map<String, Tensor> weights, String doc) {
    Map<String, TensorProto> protos = new LinkedHashMap<>();
    for (Value p : g.parameters()) {
      protos.put(p.name(), weights.get(p.name()).toProto());
    }
    return ModelWriter.of(g).weights(protos).docString(doc)
        .metadata(provenance.exportMetadata(Configs.toTree(config).toString(), seed, steps))
        .metadata("kiln.method", "nerfdiff")
        .metadata("kiln.seed", Long.toString(seed))
        .metadata("kiln.config", Configs.toTree(config).toString())
        .metadata("kiln.timesteps", Integer.toString(config.model().timesteps()))
        .toBytes();
  }
}
