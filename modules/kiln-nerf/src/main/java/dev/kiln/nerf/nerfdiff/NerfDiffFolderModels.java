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
import dev.kiln.nerf.scenes.ViewRequests;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.GenerationControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
      p.put("max_views", ViewRequests.MAX_VIEWS);
      p.put("held_out_scenes", NerfDiffTool.dataset(model.config()).testScenes());
      ArrayNode fields = p.putArray("fields");
      List.of("image", "scene", "azimuth", "elevation", "views", "ngd", "seed").forEach(fields::add);
      return p;
    }

    @Override
    public List<Output> generate(JsonNode req) {
      return generate(req, GenerationControl.alone());
    }

    /**
     * One request at a time (the distillation holds its sessions): a request whose client went away while
     * it waited is dropped.
     */
    @Override
    public List<Output> generate(JsonNode req, GenerationControl control) {
      Request r = parse(req);
      control.check();
      lock.lock();
      try {
        control.check();
        if (ngd == null) {
          ngd = new NerfGuidedDistillation(model, MultiViewDataset.HELD_OUT_VIEWS, backend);
          view = new TriplaneFit(model, model.config().distillation().raysPerStep(), backend);
        }
        NerfGuidedDistillation.Result done = ngd.run(r.input(), ring(), r.ngd() ? Mode.NGD : Mode.NERF_ONLY,
            model.config().distillation(), r.seed());
        float[][] images = view.start(done.plane(), done.decoder(), r.input().camera(), 1e-3).render(r.cameras());
        return List.of(Output.of("images", ViewRequests.stack(List.of(images), model.config().model().imageSize())));
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
      return ViewRequests.ring(MultiViewDataset.HELD_OUT_VIEWS, MultiViewDataset.HELD_OUT_ELEVATION,
          NerfDiffTool.dataset(model.config()).cameraRadius(), intrinsics());
    }

    /** The request's fields; a bad one is a {@link ConfigException} naming it and its value. */
    private Request parse(JsonNode req) {
      ViewRequests.onlyFields(req, FIELDS, "NerfDiff");
      int s = model.config().model().imageSize();
      if (req.hasNonNull("image") == req.hasNonNull("scene")) {
        throw new ConfigException("give the input view as one of `image` (a [3, " + s + ", " + s
            + "] picture in [0, 1]) or `scene` (a held-out scene index)");
      }
      MultiViewDataset.Config dc = NerfDiffTool.dataset(model.config());
      View input;
      if (req.hasNonNull("scene")) {
        if (req.hasNonNull("azimuth") || req.hasNonNull("elevation")) {
          throw new ConfigException("azimuth and elevation describe an `image`; a `scene` is seen from its own"
              + " camera");
        }
        int scene = (int) ViewRequests.integer(req.get("scene"), "scene", 0, dc.testScenes() - 1);
        MultiViewDataset.Config one = new MultiViewDataset.Config(dc.categories(), dc.trainScenes(), scene + 1,
            dc.trainViews(), s, dc.fovDegrees(), dc.cameraRadius(), dc.supersample(), dc.seed());
        input = MultiViewDataset.generate(one).test().get(scene).inputs().get(0);
      } else {
        input = new View(Camera.orbit(dc.cameraRadius(), ViewRequests.number(req, "azimuth", 30),
            ViewRequests.number(req, "elevation", MultiViewDataset.INPUT_ELEVATION), intrinsics()),
            ViewRequests.image(req.get("image"), s), null, null);
      }
      List<Camera> cameras = ViewRequests.cameras(req, dc.cameraRadius(), intrinsics(), ring());
      long seed = req.hasNonNull("seed")
          ? ViewRequests.integer(req.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 0;
      return new Request(input, cameras, ViewRequests.flag(req, "ngd", false), seed);
    }
  }

  private record Request(View input, List<Camera> cameras, boolean ngd, long seed) {}
}
