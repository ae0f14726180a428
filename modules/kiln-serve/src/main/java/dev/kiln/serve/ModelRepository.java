package dev.kiln.serve;

import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.Providers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A folder of exported models, each addressed by its folder name ({@code mnist-unet/model.onnx}) or its
 * file name without {@code .onnx} ({@code classifier.onnx}). Names are looked up in the list the folder
 * held when the server started, never resolved as paths, so no request reaches a file outside it. A
 * folder a {@link FolderModelProvider} recognises (a PLANNER export) is one model, whatever it holds.
 */
public final class ModelRepository implements AutoCloseable {

  private final Path root;
  private final Map<String, ServedModel> models;

  private ModelRepository(Path root, Map<String, ServedModel> models) {
    this.root = root;
    this.models = models;
  }

  /** Opens every model in {@code root}; an error names the file that could not be read. */
  public static ModelRepository open(Path root, OrtBackend backend) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException(root + ": not a folder of models");
    }
    Map<String, ServedModel> models = new TreeMap<>();
    Map<String, FolderModelProvider> providers = Providers.load(FolderModelProvider.class);
    try {
      for (Map.Entry<String, Found> e : find(root, providers.values()).entrySet()) {
        Found f = e.getValue();
        try {
          models.put(e.getKey(), f.provider() != null ? ServedModel.openFolder(e.getKey(), f.path(), f.provider(),
              backend) : ServedModel.open(e.getKey(), f.path(), backend));
        } catch (IOException | RuntimeException ex) {
          throw new IOException(f.path() + ": cannot serve it: " + ex.getMessage(), ex);
        }
      }
    } catch (IOException | RuntimeException e) {
      models.values().forEach(ServedModel::close);
      throw e;
    }
    return new ModelRepository(root, models);
  }

  /**
   * Model names and files: {@code DIR/NAME/model.onnx} (or its one .onnx), {@code DIR/NAME.onnx}, and
   * {@code DIR/NAME/} itself where one of {@code providers} recognises it (asked once per folder).
   */
  static Map<String, Found> find(Path root, Collection<FolderModelProvider> providers) throws IOException {
    Map<String, Found> found = new TreeMap<>();
    try (Stream<Path> entries = Files.list(root)) {
      for (Path p : entries.sorted().toList()) {
        String file = p.getFileName().toString();
        if (Files.isRegularFile(p) && file.endsWith(".onnx")) {
          found.put(file.substring(0, file.length() - ".onnx".length()), new Found(p, null));
        } else if (Files.isDirectory(p)) {
          FolderModelProvider provider = recogniser(p, providers);
          if (provider != null) {
            found.put(file, new Found(p, provider));
            continue;
          }
          List<Path> onnx = onnxFiles(p);
          Path chosen = onnx.contains(p.resolve("model.onnx")) ? p.resolve("model.onnx")
              : onnx.size() == 1 ? onnx.get(0) : null;
          if (chosen != null) {
            found.put(file, new Found(chosen, null));
          }
        }
      }
    }
    return found;
  }

  /** A model's file (or folder), and the provider that opens it when it is a folder model. */
  record Found(Path path, FolderModelProvider provider) {}

  private static FolderModelProvider recogniser(Path dir, Collection<FolderModelProvider> providers) {
    return providers.stream().filter(p -> p.recognises(dir)).findFirst().orElse(null);
  }

  private static List<Path> onnxFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".onnx")).sorted().toList());
    }
  }

  public Path root() {
    return root;
  }

  /** The model called {@code name}; 404 naming the models there are otherwise. */
  public ServedModel get(String name) {
    ServedModel m = models.get(name);
    if (m == null) {
      throw ApiException.notFound("model `" + name + "` is not in the repository; models: " + models.keySet());
    }
    return m;
  }

  public Collection<ServedModel> models() {
    return models.values();
  }

  @Override
  public void close() {
    models.values().forEach(ServedModel::close);
  }
}
