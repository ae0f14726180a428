package dev.kiln.nerf.ssd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.ModelReader;
import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.scenes.Category;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.ViewRequests;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Session;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.GenerationControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exported SSDNeRF folders ({@code kiln ssdnerf train}: {@code decoder.onnx} and {@code denoiser.onnx})
 * as {@code kiln serve} models: scenes drawn from the triplane prior, rendered at the cameras a request
 * names. A generate request takes {@code count} (scenes, 1 to 8), {@code seed} and {@code views} (a list
 * of [azimuth, elevation] pairs in degrees; by default eight cameras around at 30°); the answer is a tensor
 * {@code images [count·V, 3, S, S]} in [0, 1], scene-major, as the SSDNeRF study draws its unconditional
 * samples. Each request builds its own sampling and rendering graphs, so concurrent requests share
 * nothing but the weights.
 */
public final class SsdNerfFolderModels implements FolderModelProvider {

  /** The most scenes one request may draw. */
  public static final int MAX_COUNT = 8;

  private static final Set<String> FIELDS = Set.of("id", "count", "seed", "views", "format");

  @Override
  public String name() {
    return "ssdnerf";
  }

  /**
   * Both files, and a decoder whose metadata holds the SSDNeRF settings (other exports name their files
   * {@code decoder.onnx} and {@code denoiser.onnx} too: PLANNER's).
   */
  @Override
  public boolean recognises(Path folder) {
    Path decoder = folder.resolve(SsdNerfExport.DECODER);
    if (!Files.isRegularFile(decoder) || !Files.isRegularFile(folder.resolve(SsdNerfExport.DENOISER))) {
      return false;
    }
    try {
      Map<String, String> meta = ModelReader.read(decoder).metadata();
      return meta.containsKey(SsdNerfExport.CONFIG) && meta.containsKey(SsdNerfExport.DATA);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public FolderModel open(Path folder, OrtBackend backend) throws IOException {
    SsdNerf model = SsdNerfExport.load(folder);
    MultiViewDataset.Config data = SsdNerfExport.data(folder);
    int s = data.imageSize();
    Intrinsics in = Intrinsics.fromFov(s, s, data.fovDegrees());
    List<Camera> ring = ViewRequests.ring(8, MultiViewDataset.HELD_OUT_ELEVATION, data.cameraRadius(), in);
    Session prior = backend.load(SsdNerfExport.batchedDenoiser(model));
    return new FolderModel() {
      @Override
      public ObjectNode parameters() {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("kind", "ssdnerf");
        p.put("image_size", s);
        p.put("max_count", MAX_COUNT);
        p.put("max_views", ViewRequests.MAX_VIEWS);
        ArrayNode fields = p.putArray("fields");
        List.of("count", "seed", "views").forEach(fields::add);
        return p;
      }

      @Override
      public List<Output> generate(JsonNode req) {
        return generate(req, GenerationControl.alone());
      }

      /** The prior's DDIM steps are calls {@code "denoiser"} of {@code control}; the renders follow. */
      @Override
      public List<Output> generate(JsonNode req, GenerationControl control) {
        ViewRequests.onlyFields(req, FIELDS, "SSDNeRF");
        int count = req.hasNonNull("count") ? (int) ViewRequests.integer(req.get("count"), "count", 1, MAX_COUNT) : 1;
        long seed = req.hasNonNull("seed")
            ? ViewRequests.integer(req.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 0;
        List<Camera> cameras = ViewRequests.cameras(req, data.cameraRadius(), in, ring);
        List<float[]> scenes = GuidedReconstruction.sample(model, count, seed, prior, control);
        control.check();
        float[][][] views = new float[cameras.size()][][];
        for (int k = 0; k < cameras.size(); k++) {
          views[k] = model.render(scenes, java.util.Collections.nCopies(count, cameras.get(k)), backend);
        }
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          for (float[][] view : views) {
            images.add(view[i]);
          }
        }
        return List.of(Output.of("images", ViewRequests.stack(images, s)));
      }

      @Override
      public void close() {
        prior.close();
      }
    };
  }

  /** An untrained model of C = 2, S = 6 triplanes and an 8-channel UNet on 100 steps, for 8 × 8 views. */
  @Override
  public Path writeExample(Path dir) throws IOException {
    SsdNerfConfig.Model m = new SsdNerfConfig.Model(new TriplaneField.Config(2, 6, 8, null), 8, null, 8,
        List.of(1, 2), 4, 100, null, null, null, null, null, null, null);
    SsdNerf model = SsdNerf.initialize(new SsdNerfConfig(m, null, null), 5);
    MultiViewDataset.Config data = new MultiViewDataset.Config(List.of(Category.TOYCAR, Category.CHAIR), 2, 1, 2, 8,
        null, null, 1, 11L);
    Path folder = Files.createDirectories(dir.resolve("ssdnerf-example"));
    SsdNerfExport.write(model, data, Map.of("seed", "5"), folder);
    return folder;
  }

  @Override
  public List<JsonNode> exampleRequests() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode two = f.objectNode().put("count", 2).put("seed", 3);
    two.putArray("views").add(f.arrayNode().add(0).add(30)).add(f.arrayNode().add(200).add(15));
    return List.of(two, f.objectNode().put("seed", 9));
  }
}
