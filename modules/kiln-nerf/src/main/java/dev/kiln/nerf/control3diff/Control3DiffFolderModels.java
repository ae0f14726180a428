package dev.kiln.nerf.control3diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.ViewRequests;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exported Control3Diff folders ({@code kiln control3diff export}: {@code generator.onnx} and the priors)
 * as {@code kiln serve} models: given a control image, several 3-D results rendered from the cameras a
 * request names, as {@code kiln control3diff --input} draws them. A generate request takes {@code image}
 * (the picture the control is computed from, [3, S, S] nested or flat, values in [0, 1]) and the camera it
 * was seen from ({@code azimuth}, {@code elevation}; default 30° and 15°), {@code control} (a control the
 * model has a prior for; by default its first), {@code route} ({@code conditioning}, {@code guidance} or
 * {@code guidance-langevin}), {@code count} (results, 1 to 8), {@code seed} and {@code views} ([azimuth,
 * elevation] pairs; by default eight around at 30°). The answer is a tensor
 * {@code images [count·V, 3, S, S]} in [0, 1], result-major.
 */
public final class Control3DiffFolderModels implements FolderModelProvider {

  /** The most results one request may draw. */
  public static final int MAX_COUNT = 8;

  private static final String UNCONDITIONAL = "prior-unconditional.onnx";
  private static final Set<String> FIELDS = Set.of("id", "image", "azimuth", "elevation", "control", "route",
      "count", "seed", "views", "format");

  @Override
  public String name() {
    return "control3diff";
  }

  @Override
  public boolean recognises(Path folder) {
    return Files.isRegularFile(folder.resolve(Control3Diff.GENERATOR_ONNX))
        && Files.isRegularFile(folder.resolve(UNCONDITIONAL));
  }

  @Override
  public FolderModel open(Path folder, OrtBackend backend) throws IOException {
    Control3Diff model = Control3Diff.fromExports(folder);
    int side = model.gan().config().imageSize();
    MultiViewDataset.Config scenes = MultiViewDataset.Config.defaults();
    Intrinsics in = Intrinsics.fromFov(side, side, scenes.fovDegrees());
    List<Camera> ring = ViewRequests.ring(8, 30, scenes.cameraRadius(), in);
    return new FolderModel() {
      @Override
      public ObjectNode parameters() {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("kind", "control3diff");
        p.put("image_size", side);
        ArrayNode controls = p.putArray("controls");
        model.controls().forEach(c -> controls.add(c.id()));
        p.put("max_count", MAX_COUNT);
        p.put("max_views", ViewRequests.MAX_VIEWS);
        ArrayNode fields = p.putArray("fields");
        List.of("image", "azimuth", "elevation", "control", "route", "count", "seed", "views").forEach(fields::add);
        return p;
      }

      @Override
      public List<Output> generate(JsonNode req) {
        ViewRequests.onlyFields(req, FIELDS, "Control3Diff");
        if (!req.hasNonNull("image")) {
          throw new ConfigException("image is required: the [3, " + side + ", " + side
              + "] picture in [0, 1] the control is computed from");
        }
        float[] rgb = ViewRequests.image(req.get("image"), side);
        ControlSignal control = control(req);
        if (req.hasNonNull("route") && !req.get("route").isTextual()) {
          throw new ConfigException("route must be a string, got " + req.get("route"));
        }
        ControlledSampler.Route route;
        try {
          route = req.hasNonNull("route") ? ControlledSampler.Route.parse(req.get("route").asText())
              : ControlledSampler.Route.CONDITIONING;
        } catch (IllegalArgumentException e) {
          throw new ConfigException(e.getMessage());
        }
        int count = req.hasNonNull("count") ? (int) ViewRequests.integer(req.get("count"), "count", 1, MAX_COUNT) : 1;
        long seed = req.hasNonNull("seed")
            ? ViewRequests.integer(req.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 0;
        Camera pose = Camera.orbit(scenes.cameraRadius(), ViewRequests.number(req, "azimuth", 30),
            ViewRequests.number(req, "elevation", 15), in);
        List<Camera> cameras = ViewRequests.cameras(req, scenes.cameraRadius(), in, ring);
        List<float[]> styles = model.sample(route, control, control.of(rgb, side), pose, count,
            ControlledSampler.Settings.defaults(), backend, seed);
        List<float[]> images = new ArrayList<>();
        for (float[][] row : model.render(styles, cameras, backend)) {
          images.addAll(List.of(row));
        }
        return List.of(Output.of("images", ViewRequests.stack(images, side)));
      }

      private ControlSignal control(JsonNode req) {
        List<ControlSignal> has = model.controls();
        if (!req.hasNonNull("control")) {
          if (has.isEmpty()) {
            throw new ConfigException("this model has no conditional prior; it answers no control");
          }
          return has.get(0);
        }
        ControlSignal c;
        try {
          c = ControlSignal.parse(req.get("control").asText());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(e.getMessage());
        }
        if (!has.contains(c)) {
          throw new ConfigException("control `" + c.id() + "`: this model has priors for "
              + has.stream().map(ControlSignal::id).toList());
        }
        return c;
      }

      @Override
      public void close() {}
    };
  }

  /** An untrained 8 × 8 GAN (a 3 × 2 × 8 × 8 triplane) with untrained unconditional and image priors. */
  @Override
  public Path writeExample(Path dir) throws IOException {
    GanConfig gc = new GanConfig(8, 8, 16, 8, new TriplaneField.Config(2, 8, 8, null), 8, 6, 4, 1.0, null, null,
        null, null, 2, 0);
    TriplaneGan gan = TriplaneGan.initialize(gc, 6);
    OrtBackend backend = new OrtBackend(dev.kiln.runtime.BackendOptions.cpu(1));
    MultiViewDataset.Config scenes = MultiViewDataset.Config.defaults();
    Camera pose = Camera.orbit(scenes.cameraRadius(), 30, 15, Intrinsics.fromFov(8, 8, scenes.fovDegrees()));
    GanSamples data = GanSamples.draw(gan, 8, List.of(pose), backend, 2);
    PriorConfig prior = new PriorConfig(16, 1, 8, 2, 100, null, null, null, null, 4, 2, null);
    Control3Diff model = new Control3Diff(gan,
        Map.of(ControlSignal.IMAGE, LatentPrior.initialize(prior, ControlSignal.IMAGE, 8, 8, data, 2)),
        LatentPrior.initialize(prior, null, 8, 8, data, 1));
    model.recordProvenance(Map.of("seed", "6"));
    Path folder = dir.resolve("control3diff-example");
    model.export(folder, 1);
    return folder;
  }

  @Override
  public List<JsonNode> exampleRequests() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ArrayNode image = f.arrayNode();
    for (int i = 0; i < 3 * 8 * 8; i++) {
      image.add(0.5 + 0.4 * Math.sin(0.3 * i));
    }
    ObjectNode two = f.objectNode().put("count", 2).put("seed", 3);
    two.set("image", image);
    two.putArray("views").add(f.arrayNode().add(0).add(30)).add(f.arrayNode().add(120).add(20));
    ObjectNode guided = f.objectNode().put("route", "guidance").put("seed", 5).put("azimuth", 60);
    guided.set("image", image.deepCopy());
    guided.putArray("views").add(f.arrayNode().add(90).add(30));
    return List.of(two, guided);
  }
}
