package dev.kiln.nerf.ssd;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained {@link SsdNerf} as two plain ONNX models, and back:
 *
 * <ul>
 *   <li>{@code decoder.onnx}, the triplane radiance field ψ with the decoder's weights as initializers:
 *       {@code code} [1, 3C, S, S] (triplanes x) and {@code points} [1, H·W·K, 3] (the K samples of every
 *       ray of one H×W view) → {@code density} [1, H·W·K] and {@code color} [1, H·W·K, 3]; the host face of
 *       the volume renderer composites them into an image ({@link dev.kiln.nerf.field.FieldRenderer});</li>
 *   <li>{@code denoiser.onnx}, the triplane diffusion prior φ with the EMA weights used at test time:
 *       {@code x_t} [1, 3C, S, S] and {@code t} [1] → {@code v} [1, 3C, S, S] (v-prediction, linear β).</li>
 * </ul>
 *
 * Both carry the model's settings ({@code kiln.config}), the dataset they were trained on
 * ({@code kiln.data}), the normaliser EMA(mean x²) ({@code kiln.norm}) and the caller's provenance
 * ({@code recipe}, {@code seed}, {@code source_commit}, {@code data_name}, {@code data_sha256}), so
 * {@link #load} rebuilds the model that guided reconstruction and unconditional sampling need from the two
 * files alone.
 */
public final class SsdNerfExport {

  /** The file names in an exported folder. */
  public static final String DECODER = "decoder.onnx";
  public static final String DENOISER = "denoiser.onnx";

  static final String CONFIG = "kiln.config";
  static final String DATA = "kiln.data";
  static final String NORM = "kiln.norm";

  private SsdNerfExport() {}

  /**
   * Writes {@code model}'s decoder and denoiser into {@code folder} (each to a temporary file, then moved).
   *
   * @param data the dataset it was trained on (sets the view size the decoder is exported for)
   * @param provenance metadata to record in both files
   */
  public static void write(SsdNerf model, MultiViewDataset.Config data, Map<String, String> provenance, Path folder)
      throws IOException {
    AtomicFiles.write(folder.resolve(DECODER), decoder(model, data, provenance));
    AtomicFiles.write(folder.resolve(DENOISER), denoiser(model, data, provenance));
  }

  /** The decoder as an ONNX model for one view of {@code data.image_size}² pixels. */
  public static byte[] decoder(SsdNerf model, MultiViewDataset.Config data, Map<String, String> provenance) {
    long points = (long) data.imageSize() * data.imageSize() * model.config().model().samplesPerRay();
    return bytes(model.field().network(1, points), model.decoderWeights(), model, data, provenance, "raw",
        "SSDNeRF triplane decoder: code (triplanes), points -> density, color");
  }

  /** The prior's EMA as an ONNX model for one scene. */
  public static byte[] denoiser(SsdNerf model, MultiViewDataset.Config data, Map<String, String> provenance) {
    return bytes(model.graphs().denoiserGraph(1), model.priorAverage(), model, data, provenance, "ema",
        "SSDNeRF triplane diffusion prior: x_t, t -> v");
  }

  /**
   * The prior's EMA for any number of scenes (first dim {@code N}), as {@link #denoiser} without the
   * metadata: what a server loads once to run concurrent requests' sampling steps as one batch.
   */
  public static byte[] batchedDenoiser(SsdNerf model) {
    Graph g = model.graphs().batchedDenoiserGraph();
    return ModelWriter.of(g).weights(protos(g, model.priorAverage()))
        .docString("SSDNeRF triplane diffusion prior: x_t, t -> v").toBytes();
  }

  /** The weights of {@code g}'s parameters, by name, as initializers. */
  private static Map<String, TensorProto> protos(Graph g, Map<String, Tensor> weights) {
    Map<String, TensorProto> protos = new LinkedHashMap<>();
    for (Value p : g.parameters()) {
      protos.put(p.name(), weights.get(p.name()).toProto());
    }
    return protos;
  }

  private static byte[] bytes(Graph g, Map<String, Tensor> weights, SsdNerf model, MultiViewDataset.Config data,
      Map<String, String> provenance, String kind, String doc) {
    ModelWriter w = ModelWriter.of(g).weights(protos(g, weights)).docString(doc)
        .metadata("kiln.method", "ssdnerf")
        .metadata(CONFIG, Configs.toTree(model.config()).toString())
        .metadata(DATA, Configs.toTree(data).toString())
        .metadata(NORM, Double.toString(model.norm()))
        .metadata("weights", kind);
    provenance.forEach(w::metadata);
    return w.toBytes();
  }

  /**
   * The model in {@code folder}'s {@code decoder.onnx} and {@code denoiser.onnx}; its prior's weights and
   * their EMA are both the denoiser's. Errors name the file and what in it is wrong.
   */
  public static SsdNerf load(Path folder) throws IOException {
    Path decoderFile = folder.resolve(DECODER);
    Path denoiserFile = folder.resolve(DENOISER);
    ModelReader.LoadedModel decoder = ModelReader.read(decoderFile);
    ModelReader.LoadedModel denoiser = ModelReader.read(denoiserFile);
    SsdNerfConfig config = Configs.read(Configs.parse(metadata(decoder, decoderFile, CONFIG), decoderFile + " "
        + CONFIG), SsdNerfConfig.class, decoderFile + " metadata " + CONFIG);
    if (!Configs.toTree(config).equals(Configs.parse(metadata(denoiser, denoiserFile, CONFIG), denoiserFile + " "
        + CONFIG))) {
      throw new IOException(denoiserFile + ": metadata " + CONFIG + " differs from " + decoderFile
          + "'s; the two files are not one model");
    }
    SsdNerf model = SsdNerf.initialize(config, 0);
    fill(model.decoderWeights(), decoder, decoderFile);
    fill(model.priorWeights(), denoiser, denoiserFile);
    fill(model.priorAverage(), denoiser, denoiserFile);
    String norm = metadata(decoder, decoderFile, NORM);
    try {
      model.setNorm(Double.parseDouble(norm));
    } catch (NumberFormatException e) {
      throw new IOException(decoderFile + ": metadata " + NORM + " must be a number, got `" + norm + "`", e);
    }
    return model;
  }

  /** The dataset settings {@code folder}'s model was trained on. */
  public static MultiViewDataset.Config data(Path folder) throws IOException {
    Path file = folder.resolve(DECODER);
    return Configs.read(Configs.parse(metadata(ModelReader.read(file), file, DATA), file + " " + DATA),
        MultiViewDataset.Config.class, file + " metadata " + DATA);
  }

  private static String metadata(ModelReader.LoadedModel m, Path file, String key) throws IOException {
    String v = m.metadata().get(key);
    if (v == null) {
      throw new IOException(file + ": not an exported SSDNeRF (no `" + key + "` in its metadata)");
    }
    return v;
  }

  private static void fill(Map<String, Tensor> weights, ModelReader.LoadedModel m, Path file) throws IOException {
    for (Map.Entry<String, Tensor> e : weights.entrySet()) {
      TensorProto saved = m.initializers().get(e.getKey());
      if (saved == null) {
        throw new IOException(file + ": initializer `" + e.getKey() + "` is missing");
      }
      Tensor t = Tensor.fromProto(saved);
      if (t.size() != e.getValue().size()) {
        throw new IOException(file + ": initializer `" + e.getKey() + "` has " + t.size() + " values, the model's"
            + " config needs " + e.getValue().size());
      }
      e.getValue().copyFrom(t);
    }
  }
}
