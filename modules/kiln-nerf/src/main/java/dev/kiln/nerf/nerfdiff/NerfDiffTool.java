package dev.kiln.nerf.nerfdiff;

import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.nerf.nerfdiff.NerfGuidedDistillation.Mode;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.scenes.Category;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.train.MetricsLog;
import dev.kiln.train.ModelProvenance;
import dev.kiln.train.ToolArguments;
import dev.kiln.viz.AnimatedGif;
import dev.kiln.viz.ImageGrid;
import dev.kiln.viz.Pictures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.spi.ToolProvider;
import javax.imageio.ImageIO;

/**
 * The {@code kiln nerfdiff} command, found at run time as the {@code kiln-nerfdiff}
 * {@link ToolProvider}:
 *
 * <pre>
 *   kiln nerfdiff train --output DIR [--config FILE] [--seed N] [--threads N]
 *   kiln nerfdiff reconstruct --model DIR (--scene N | --image FILE.png [--azimuth A] [--elevation E])
 *                              --output DIR [--frames N] [--no-ngd] [--seed N] [--threads N]
 *   kiln nerfdiff export --model DIR --output DIR
 *   kiln nerfdiff evaluate --onnx DIR [--count N] [--seed S] [--threads N] [--metrics FILE.json]
 * </pre>
 *
 * {@code train} trains on the procedural toy cars and chairs and writes {@code nerfdiff.safetensors},
 * {@code metrics.jsonl} and the whole config as {@code config.json}; {@code reconstruct} reconstructs one scene from one view (a test scene
 * of the procedural set, or a PNG seen from the given orbit camera) and writes a turntable per
 * method (single-image NeRF, and NGD unless {@code --no-ngd}): PNG frames, an animated GIF and a
 * sheet; {@code export} writes the encoder, the single-image NeRF (one image and one view's sample
 * points) and the CDM (one batch of the eight virtual views) as plain ONNX models, with the provenance
 * (config, seed, source commit, data and its hash) in their metadata; {@code evaluate} reconstructs
 * the first {@code N} held-out test scenes from one view with those exported files alone and prints
 * the PSNR and SSIM at the eight held-out views, of the single-image NeRF and after NGD
 * ({@link NerfDiffEvaluation}). Mistakes (missing files, bad values) are thrown as {@link IllegalArgumentException} or
 * {@link UncheckedIOException} naming the file, option and value.
 */
public final class NerfDiffTool implements ToolProvider {

  /** The file a trained model is saved in. */
  public static final String MODEL_FILE = "nerfdiff.safetensors";
  /** The config a training run was trained with, written in full into its folder. */
  public static final String CONFIG_FILE = "config.json";
  /** The exported single-image NeRF (encoder and decoder). */
  public static final String SINGLE_IMAGE_NERF_FILE = "nerfdiff-single-image-nerf.onnx";
  /** The exported conditional diffusion model. */
  public static final String CDM_FILE = "nerfdiff-cdm.onnx";

  @Override
  public String name() {
    return "kiln-nerfdiff";
  }

  @Override
  public int run(PrintWriter out, PrintWriter err, String... args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.println("usage: kiln nerfdiff train --output DIR [--config FILE] [--seed N] [--threads N]");
      out.println("       kiln nerfdiff export --model DIR --output DIR");
      out.println("       kiln nerfdiff evaluate --onnx DIR [--count N] [--seed S] [--threads N] [--metrics FILE.json]");
      out.println("       kiln nerfdiff reconstruct --model DIR (--scene N | --image FILE.png [--azimuth A]"
          + " [--elevation E]) --output DIR [--frames N] [--no-ngd] [--seed N] [--threads N]");
      return args.length == 0 ? 2 : 0;
    }
    ToolArguments opts = options(args);
    try {
      switch (args[0]) {
        case "train" -> train(opts, out);
        case "reconstruct" -> reconstruct(opts, out);
        case "export" -> export(opts, out);
        case "evaluate" -> evaluate(opts, out);
        default -> throw new IllegalArgumentException("unknown subcommand `" + args[0]
            + "`; use train, reconstruct, export or evaluate");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return 0;
  }

  private static void train(ToolArguments o, PrintWriter out) throws IOException {
    Path dir = Path.of(o.required("--output"));
    NerfDiffConfig config = o.has("--config")
        ? Configs.read(Configs.readFile(Path.of(o.get("--config")), "nerfdiff config"), NerfDiffConfig.class,
            o.get("--config"))
        : NerfDiffConfig.defaults();
    long seed = o.integer("--seed", 0);
    Files.createDirectories(dir);
    // The whole config, defaults included: what a zoo folder ships as the recipe of this run.
    AtomicFiles.write(dir.resolve(CONFIG_FILE), Configs.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(Configs.toTree(config)));
    MultiViewDataset data = MultiViewDataset.generate(dataset(config));
    NerfDiff model = NerfDiff.initialize(config, seed);
    model.recordProvenance(ModelProvenance.startingNow(data.trainingIdentity()));
    out.printf(Locale.ROOT, "nerfdiff: training on %d scenes × %d views (%d steps)%n", data.train().size(),
        data.config().trainViews(), config.training().steps());
    out.flush();
    try (MetricsLog metrics = new MetricsLog(dir.resolve("metrics.jsonl"), 0)) {
      NerfDiffTrainer.train(model, data.train(), backend(o), seed, 50, new java.io.PrintStream(
          new java.io.FileOutputStream(java.io.FileDescriptor.err), true), metrics);
    }
    model.save(dir.resolve(MODEL_FILE), config.training().steps());
    out.println("nerfdiff: model in " + dir.resolve(MODEL_FILE));
  }

  private static void export(ToolArguments o, PrintWriter out) throws IOException {
    NerfDiff model = trained(o);
    Path dir = Path.of(o.required("--output"));
    Files.createDirectories(dir);
    NerfDiffConfig.Model m = model.config().model();
    AtomicFiles.write(dir.resolve("nerfdiff-encoder.onnx"), model.exportEncoder(1));
    AtomicFiles.write(dir.resolve(SINGLE_IMAGE_NERF_FILE),
        model.exportSingleImageNerf(1, (long) m.pixels() * m.samplesPerRay()));
    AtomicFiles.write(dir.resolve(CDM_FILE), model.exportCdm(MultiViewDataset.HELD_OUT_VIEWS));
    out.println("nerfdiff: encoder, single-image NeRF and CDM exported to " + dir);
  }

  private static void evaluate(ToolArguments o, PrintWriter out) throws IOException {
    Path dir = Path.of(o.required("--onnx"));
    int count = (int) o.integer("--count", 4);
    if (count < 1 || count > 64) {
      throw new IllegalArgumentException("--count must be in [1, 64], got " + count);
    }
    Path nerf = dir.resolve(SINGLE_IMAGE_NERF_FILE);
    Path cdm = dir.resolve(CDM_FILE);
    for (Path f : List.of(nerf, cdm)) {
      if (!Files.isRegularFile(f)) {
        throw new NoSuchFileException(f.toString(), null, "not an exported NerfDiff model (run kiln nerfdiff export)");
      }
    }
    NerfDiff model = NerfDiff.fromExports(nerf, cdm);
    long seed = o.integer("--seed", 0);
    MultiViewDataset.Config dc = dataset(model.config());
    MultiViewDataset.Config held = new MultiViewDataset.Config(dc.categories(), dc.trainScenes(), count,
        dc.trainViews(), dc.imageSize(), dc.fovDegrees(), dc.cameraRadius(), dc.supersample(), dc.seed());
    Map<String, Double> scores = NerfDiffEvaluation.heldOut(model, MultiViewDataset.generate(held).test(), seed,
        backend(o));
    o.report(scores, out);
    out.flush();
  }

  private static NerfDiff trained(ToolArguments o) throws IOException {
    Path modelFile = Path.of(o.required("--model")).resolve(MODEL_FILE);
    if (!Files.isRegularFile(modelFile)) {
      throw new NoSuchFileException(modelFile.toString(), null, "no trained model (run kiln nerfdiff train)");
    }
    return NerfDiff.load(modelFile);
  }

  private static void reconstruct(ToolArguments o, PrintWriter out) throws IOException {
    NerfDiff model = trained(o);
    Path dir = Path.of(o.required("--output"));
    int frames = (int) o.integer("--frames", 24);
    if (frames < 2 || frames > 360) {
      throw new IllegalArgumentException("--frames must be in [2, 360], got " + frames);
    }
    long seed = o.integer("--seed", 0);
    int s = model.config().model().imageSize();
    MultiViewDataset.Config dc = dataset(model.config());
    Intrinsics in = Intrinsics.fromFov(s, s, dc.fovDegrees());
    View input;
    if (o.has("--scene")) {
      int scene = (int) o.integer("--scene", 0);
      MultiViewDataset.Config one = new MultiViewDataset.Config(dc.categories(), dc.trainScenes(), scene + 1,
          dc.trainViews(), s, dc.fovDegrees(), dc.cameraRadius(), dc.supersample(), dc.seed());
      input = MultiViewDataset.generate(one).test().get(scene).inputs().get(0);
    } else {
      Camera camera = Camera.orbit(dc.cameraRadius(), o.number("--azimuth", 30), o.number(
          "--elevation", MultiViewDataset.INPUT_ELEVATION), in);
      input = new View(camera, readImage(Path.of(o.required("--image")), s), null, null);
    }
    Files.createDirectories(dir);
    List<Camera> ring = new ArrayList<>();
    for (int k = 0; k < MultiViewDataset.HELD_OUT_VIEWS; k++) {
      ring.add(Camera.orbit(dc.cameraRadius(), 360.0 * k / MultiViewDataset.HELD_OUT_VIEWS,
          MultiViewDataset.HELD_OUT_ELEVATION, in));
    }
    List<Camera> turntable = new ArrayList<>();
    for (int k = 0; k < frames; k++) {
      turntable.add(Camera.orbit(dc.cameraRadius(), 360.0 * k / frames, MultiViewDataset.HELD_OUT_ELEVATION, in));
    }
    OrtBackend backend = backend(o);
    List<Mode> modes = o.has("--no-ngd") ? List.of(Mode.NERF_ONLY) : List.of(Mode.NERF_ONLY, Mode.NGD);
    List<float[]> sheet = new ArrayList<>();
    try (NerfGuidedDistillation ngd = new NerfGuidedDistillation(model, ring.size(), backend);
        TriplaneFit view = new TriplaneFit(model, model.config().distillation().raysPerStep(), backend)) {
      for (Mode mode : modes) {
        NerfGuidedDistillation.Result r = ngd.run(input, ring, mode, model.config().distillation(), seed);
        float[][] images = view.start(r.plane(), r.decoder(), input.camera(), 1e-3).render(turntable);
        writeTurntable(images, s, dir, mode.id());
        sheet.addAll(List.of(images));
        out.printf(Locale.ROOT, "nerfdiff: %s turntable (%d frames, %.1fs) in %s%n", mode.id(), frames,
            r.seconds(), dir);
      }
    }
    float[] all = new float[sheet.size() * 3 * s * s];
    for (int i = 0; i < sheet.size(); i++) {
      System.arraycopy(sheet.get(i), 0, all, i * 3 * s * s, 3 * s * s);
    }
    new ImageGrid(0, 1, frames, 2, 4).write(Tensor.of(all, sheet.size(), 3, s, s), dir.resolve("turntable.png"));
    new ImageGrid(0, 1, 1, 0, 4).write(Tensor.of(input.rgb(), 1, 3, s, s), dir.resolve("input.png"));
    out.flush();
  }

  /** Frames {@code NAME-000.png}… and {@code NAME.gif} of {@code images} [3, S, S]. */
  private static void writeTurntable(float[][] images, int s, Path dir, String name) throws IOException {
    ImageGrid frame = new ImageGrid(0, 1, 1, 0, 4);
    List<BufferedImage> gif = new ArrayList<>();
    for (int k = 0; k < images.length; k++) {
      Tensor t = Tensor.of(images[k], 1, 3, s, s);
      frame.write(t, dir.resolve(String.format(Locale.ROOT, "%s-%03d.png", name, k)));
      gif.add(frame.render(t));
    }
    AnimatedGif.write(gif, 80, dir.resolve(name + ".gif"));
  }

  /** The procedural set a model of {@code config} is trained on: toy cars and chairs at its image size. */
  static MultiViewDataset.Config dataset(NerfDiffConfig config) {
    return new MultiViewDataset.Config(List.of(Category.TOYCAR, Category.CHAIR), 48, 8, 12,
        config.model().imageSize(), null, null, 2, null);
  }

  /** A PNG as [3, S, S] in [0, 1]; refuses another size, naming the file. */
  static float[] readImage(Path file, int size) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "input image does not exist");
    }
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException(file + ": not an image ImageIO can read (use PNG)");
    }
    if (img.getWidth() != size || img.getHeight() != size) {
      throw new IllegalArgumentException("--image " + file + ": is " + img.getWidth() + "×" + img.getHeight()
          + " pixels, the model reads " + size + "×" + size);
    }
    return Pictures.planarRgb(img);
  }

  private static OrtBackend backend(ToolArguments o) {
    return new OrtBackend(BackendOptions.cpu((int) o.integer("--threads", 1)));
  }

  /** {@code --name value} pairs and {@code --flag}s after the subcommand. */
  static ToolArguments options(String[] args) {
    return ToolArguments.parse(args, 1, List.of("--output", "--config", "--seed", "--threads", "--model", "--scene",
        "--image", "--azimuth", "--elevation", "--frames", "--no-ngd", "--onnx", "--count", "--metrics"),
        java.util.Set.of("--no-ngd"));
  }
}
