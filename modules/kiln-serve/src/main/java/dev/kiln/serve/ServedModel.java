package dev.kiln.serve;

import dev.kiln.graph.Dim;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One exported model as the server holds it: its session (shared by every request: ONNX Runtime
 * sessions are safe to run from several threads), what it takes and gives, and, for a generative
 * model, the {@link GenerativeModel} its samplers read their settings from. A folder model (PLANNER,
 * opened by a {@link FolderModelProvider}) has no one session: it answers generate requests only.
 */
public final class ServedModel implements AutoCloseable {

  private final String name;
  private final Path path;
  private final Session session;
  private final GenerativeModel generative;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final Map<String, String> metadata;
  private final FolderModel folder;

  private ServedModel(String name, Path path, Session session, GenerativeModel generative, List<TensorSpec> inputs,
      List<TensorSpec> outputs, Map<String, String> metadata, FolderModel folder) {
    this.name = name;
    this.path = path;
    this.session = session;
    this.generative = generative;
    this.folder = folder;
    this.inputs = inputs;
    this.outputs = outputs;
    this.metadata = metadata;
  }

  /** Opens {@code path} as model {@code name}. */
  public static ServedModel open(String name, Path path, OrtBackend backend) throws IOException {
    ModelReader.LoadedModel read = ModelReader.read(path);
    List<TensorSpec> in = read.graph().inputs().stream().filter(v -> !v.isParameter() && !v.isConstant())
        .map(ServedModel::spec).toList();
    List<TensorSpec> out = read.graph().outputs().stream().map(ServedModel::spec).toList();
    Map<String, String> meta = Map.copyOf(read.metadata());
    if (meta.containsKey("sample_shape")) {
      GenerativeModel g = GenerativeModel.load(path, backend);
      return new ServedModel(name, path, g.session(), g, in, out, meta, null);
    }
    return new ServedModel(name, path, backend.load(path), null, in, out, meta, null);
  }

  /** Opens the folder {@code dir} as model {@code name} through {@code provider}. */
  public static ServedModel openFolder(String name, Path dir, FolderModelProvider provider, OrtBackend backend)
      throws IOException {
    FolderModel m = provider.open(dir, backend);
    return new ServedModel(name, dir, null, null, List.of(), List.of(), Map.of("kind", provider.name()), m);
  }

  private static TensorSpec spec(Value v) {
    List<Dim> dims = v.shape().dims();
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      Dim d = dims.get(i);
      shape[i] = d.symbol() == null ? d.coefficient() : -1;
    }
    return new TensorSpec(v.name(), v.dtype(), shape);
  }

  public String name() {
    return name;
  }

  public Path path() {
    return path;
  }

  public Session session() {
    return session;
  }

  /** The folder model, or null for a model of one ONNX file. */
  public FolderModel folder() {
    return folder;
  }

  /** The generative model, or null for a model that only infers. */
  public GenerativeModel generative() {
    return generative;
  }

  public List<TensorSpec> inputs() {
    return inputs;
  }

  public List<TensorSpec> outputs() {
    return outputs;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** The input called {@code n}, or null. */
  public TensorSpec input(String n) {
    return inputs.stream().filter(s -> s.name().equals(n)).findFirst().orElse(null);
  }

  /** Whether requests can be merged along the first dim: every input and output has a dynamic first dim. */
  public boolean batchable() {
    return inputs.stream().allMatch(TensorSpec::batched) && outputs.stream().allMatch(TensorSpec::batched);
  }

  @Override
  public void close() {
    if (folder != null) {
      folder.close();
    } else if (generative != null) {
      generative.close();
    } else {
      session.close();
    }
  }
}
