package dev.kiln.nerf.nerfdiff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.nerf.nerfdiff.NerfGuidedDistillation.Mode;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exported NerfDiff folders ({@code kiln nerfdiff export}: the single-image NeRF and the CDM) as
 * {@code kiln serve} models: a camera → an image. A generate request gives the input view, either
 * {@code image} (the picture, [3, S, S] nested or flat, values in [0, 1]) with its camera
 * {@code azimuth}/{@code elevation} in degrees, or {@code scene} (a held-out procedural scene, seen from
 * its first input camera); {@code views} (a list of [azimuth, elevation] pairs; by default the eight
 * held-out cameras at 30°) names the cameras to render, {@code ngd} (default false) refines the NeRF by
 * NeRF-guided distillation before rendering, and {@code seed} seeds that refinement. The answer is a
 * tensor {@code images [V, 3, S, S]} in [0, 1], as {@code kiln nerfdiff reconstruct} renders them.
 * Requests to one model run one at a time: the reconstruction reuses one set of sessions and buffers.
 */
public final class NerfDiffFolderModels implements FolderModelProvider {

  static final String NERF_FILE = "nerfdiff-single-image-nerf.onnx";
  static final String CDM_FILE = "nerfdiff-cdm.onnx";

  /** The most cameras one request may render. */
  public static final int MAX_VIEWS = 64;

  private static final Set<String> FIELDS = Set.of("id", "image", "scene", "azimuth", "elevation", "views", "ngd",
      "seed", "format");

  @Override
  public String name() {
    return "nerfdiff";
  }

  @Override
  public boolean recognises(Path folder) {
    return Files.isRegularFile(folder.resolve(NERF_FILE)) && Files.isRegularFile(folder.resolve(CDM_FILE));
  }

  @Override
  public FolderModel open(Path folder, OrtBackend backend) throws IOException {
    NerfDiff model = NerfDiff.fromExports(folder.resolve(NERF_FILE), folder.resolve(CDM_FILE));
    return new Served(model, backend);
  }

  /**
   * An untrained 8 × 8 model (base-8 UNets, 100 diffusion steps; distillation of 3 DDIM steps and one
   * finetuning step of 32 rays) exported as {@code kiln nerfdiff export} does.
   */
  @Override
  public Path writeExample(Path dir) throws IOException {
    NerfDiffConfig.Model m = new NerfDiffConfig.Model(8, 2, 8, 6, null, 8, 8, List.of(1, 2), 4, 100, null, null);
    NerfDiff model = NerfDiff.initialize(new NerfDiffConfig(m, null,
        new NerfDiffConfig.Distillation(1.0, 3, 0.9, 1, 32, 1e-2, true)), 3);
    Path folder = Files.createDirectories(dir.resolve("nerfdiff-example"));
    NerfDiffConfig.Model mc = model.config().model();
    AtomicFiles.write(folder.resolve(NERF_FILE),
        model.exportSingleImageNerf(1, (long) mc.pixels() * mc.samplesPerRay()));
    AtomicFiles.write(folder.resolve(CDM_FILE), model.exportCdm(MultiViewDataset.HELD_OUT_VIEWS));
    return folder;
  }

  @Override
  public List<JsonNode> exampleRequests() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode scene = f.objectNode().put("scene", 1);
    scene.putArray("views").add(f.arrayNode().add(0).add(30)).add(f.arrayNode().add(135).add(10));
    ObjectNode refined = f.objectNode().put("scene", 0).put("ngd", true).put("seed", 4);
    refined.putArray("views").add(f.arrayNode().add(90).add(30));
    return List.of(scene, refined);
  }

  /** One opened folder. */
  private static final class Served implements FolderModel {

    private final NerfDiff model;
    private final OrtBackend backend;
    private final ReentrantLock lock = new ReentrantLock();
    private NerfGuidedDistillation ngd;
    private TriplaneFit view;

    Served(NerfDiff model, OrtBackend backend) {
      this.model = model;
      this.backend = backend;
    }

    @Override
    public ObjectNode parameters() {
      ObjectNode p = JsonNodeFactory.instance.objectNode();
      p.put("kind", "nerfdiff");
      p.put("image_size", model.config().model().imageSize());
      p.put("max_views", MAX_VIEWS);
      p.put("held_out_scenes", NerfDiffTool.dataset(model.config()).testScenes());
      ArrayNode fields = p.putArray("fields");
      List.of("image", "scene", "azimuth", "elevation", "views", "ngd", "seed").forEach(fields::add);
      return p;
    }

    @Override
    public List<Output> generate(JsonNode req) {
      Request r = parse(req);
      lock.lock();
      try {
        if (ngd == null) {
          ngd = new NerfGuidedDistillation(model, MultiViewDataset.HELD_OUT_VIEWS, backend);
          view = new TriplaneFit(model, model.config().distillation().raysPerStep(), backend);
        }
        NerfGuidedDistillation.Result done = ngd.run(r.input(), ring(), r.ngd() ? Mode.NGD : Mode.NERF_ONLY,
            model.config().distillation(), r.seed());
        float[][] images = view.start(done.plane(), done.decoder(), r.input().camera(), 1e-3).render(r.cameras());
        int s = model.config().model().imageSize();
        float[] all = new float[images.length * 3 * s * s];
        for (int i = 0; i < images.length; i++) {
          System.arraycopy(images[i], 0, all, i * 3 * s * s, 3 * s * s);
        }
        return List.of(Output.of("images", Tensor.of(all, images.length, 3, s, s)));
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      lock.lock();
      try {
        if (ngd != null) {
          ngd.close();
          view.close();
        }
      } finally {
        lock.unlock();
      }
    }

    private Intrinsics intrinsics() {
      int s = model.config().model().imageSize();
      return Intrinsics.fromFov(s, s, NerfDiffTool.dataset(model.config()).fovDegrees());
    }

    private List<Camera> ring() {
      List<Camera> ring = new ArrayList<>();
      for (int k = 0; k < MultiViewDataset.HELD_OUT_VIEWS; k++) {
        ring.add(camera(360.0 * k / MultiViewDataset.HELD_OUT_VIEWS, MultiViewDataset.HELD_OUT_ELEVATION));
      }
      return ring;
    }

    private Camera camera(double azimuth, double elevation) {
      return Camera.orbit(NerfDiffTool.dataset(model.config()).cameraRadius(), azimuth, elevation, intrinsics());
    }

    /** The request's fields; a bad one is a {@link ConfigException} naming it and its value. */
    private Request parse(JsonNode req) {
      req.fieldNames().forEachRemaining(f -> {
        if (!FIELDS.contains(f)) {
          throw new ConfigException("unknown field `" + f + "` for a NerfDiff model; fields: "
              + new TreeSet<>(FIELDS));
        }
      });
      if (req.hasNonNull("format") && !"tensor".equals(req.get("format").asText())) {
        throw new ConfigException("format: a NerfDiff model answers `tensor`, got " + req.get("format"));
      }
      int s = model.config().model().imageSize();
      if (req.hasNonNull("image") == req.hasNonNull("scene")) {
        throw new ConfigException("give the input view as one of `image` (a [3, " + s + ", " + s
            + "] picture in [0, 1]) or `scene` (a held-out scene index)");
      }
      View input;
      if (req.hasNonNull("scene")) {
        if (req.hasNonNull("azimuth") || req.hasNonNull("elevation")) {
          throw new ConfigException("azimuth and elevation describe an `image`; a `scene` is seen from its own"
              + " camera");
        }
        MultiViewDataset.Config dc = NerfDiffTool.dataset(model.config());
        int scene = (int) integer(req.get("scene"), "scene", 0, dc.testScenes() - 1);
        MultiViewDataset.Config one = new MultiViewDataset.Config(dc.categories(), dc.trainScenes(), scene + 1,
            dc.trainViews(), s, dc.fovDegrees(), dc.cameraRadius(), dc.supersample(), dc.seed());
        input = MultiViewDataset.generate(one).test().get(scene).inputs().get(0);
      } else {
        double az = req.hasNonNull("azimuth") ? number(req.get("azimuth"), "azimuth") : 30;
        double el = req.hasNonNull("elevation") ? number(req.get("elevation"), "elevation")
            : MultiViewDataset.INPUT_ELEVATION;
        input = new View(camera(az, el), image(req.get("image"), s), null, null);
      }
      List<Camera> cameras = new ArrayList<>();
      if (req.hasNonNull("views")) {
        JsonNode v = req.get("views");
        if (!v.isArray() || v.isEmpty() || v.size() > MAX_VIEWS) {
          throw new ConfigException("views must be a list of 1 to " + MAX_VIEWS + " [azimuth, elevation] pairs,"
              + " got " + (v.isArray() ? v.size() + " entries" : v.toString()));
        }
        for (int i = 0; i < v.size(); i++) {
          JsonNode p = v.get(i);
          if (!p.isArray() || p.size() != 2) {
            throw new ConfigException("views[" + i + "] must be an [azimuth, elevation] pair, got " + p);
          }
          cameras.add(camera(number(p.get(0), "views[" + i + "][0]"), number(p.get(1), "views[" + i + "][1]")));
        }
      } else {
        cameras.addAll(ring());
      }
      boolean refine = false;
      if (req.hasNonNull("ngd")) {
        if (!req.get("ngd").isBoolean()) {
          throw new ConfigException("ngd must be true or false, got " + req.get("ngd"));
        }
        refine = req.get("ngd").asBoolean();
      }
      long seed = req.hasNonNull("seed") ? integer(req.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 0;
      return new Request(input, cameras, refine, seed);
    }

    private static float[] image(JsonNode image, int s) {
      List<Double> values = new ArrayList<>();
      flatten(image, values, "image", 0);
      if (values.size() != 3 * s * s) {
        throw new ConfigException("image must hold 3 × " + s + " × " + s + " = " + 3 * s * s + " values, got "
            + values.size());
      }
      float[] rgb = new float[values.size()];
      for (int i = 0; i < rgb.length; i++) {
        double v = values.get(i);
        if (!(v >= 0 && v <= 1)) {
          throw new ConfigException("image values must be in [0, 1], got " + v + " at element " + i);
        }
        rgb[i] = (float) v;
      }
      return rgb;
    }

    private static void flatten(JsonNode n, List<Double> into, String where, int depth) {
      if (n.isNumber()) {
        into.add(n.asDouble());
      } else if (n.isArray() && depth < 3) {
        for (int i = 0; i < n.size(); i++) {
          flatten(n.get(i), into, where + "[" + i + "]", depth + 1);
          if (into.size() > 3 * 512 * 512) {
            throw new ConfigException("image: too many values");
          }
        }
      } else {
        throw new ConfigException(where + " must be a number or an array of at most 3 levels, got "
            + (n.isContainerNode() ? "a deeper array" : n.toString()));
      }
    }

    private static double number(JsonNode v, String key) {
      if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw new ConfigException(key + " must be a finite number, got " + v);
      }
      return v.asDouble();
    }

    private static long integer(JsonNode v, String key, long min, long max) {
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
        throw new ConfigException(key + " must be an integer in " + min + ".." + max + ", got " + v);
      }
      return v.asLong();
    }
  }

  private record Request(View input, List<Camera> cameras, boolean ngd, long seed) {}
}
