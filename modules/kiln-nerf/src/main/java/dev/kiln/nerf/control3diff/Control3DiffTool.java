package dev.kiln.nerf.control3diff;

import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.Configs;
import dev.kiln.train.ToolArguments;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.spi.ToolProvider;
import javax.imageio.ImageIO;

/**
 * {@code kiln-control3diff}, the tool behind {@code kiln control3diff}: given a control (a picture, or
 * a ready edge or segmentation map) seen from a known camera, sample several 3D results from a
 * trained model and render each from 8 azimuths. Arguments:
 *
 * <pre>
 *   --model DIR           a model folder (Control3Diff.save; `kiln experiment control3diff` writes one)
 *   --control KIND        image | edges | segmentation
 *   --input PNG           the control's source picture, H×W as the model renders
 *   --as-control          the PNG is the control map itself: edges dark on white, segmentation as
 *                         grey levels 0, 1/3, 2/3, 1
 *   --route R             conditioning | guidance | guidance-langevin (default conditioning)
 *   --samples N           results to sample (default 4)
 *   --azimuth A, --elevation E   the input's camera in degrees (default 30, 15)
 *   --seed S (from 1), --steps K, --threads T
 *   -o DIR                output folder: views.png (one result per row), control.png
 * </pre>
 *
 * and, to train, export and measure a model:
 *
 * <pre>
 *   train --config FILE --output DIR [--seed N] [--threads T]     a {@link Control3DiffRecipe}; the model in DIR/model
 *   export --model DIR --output DIR                               generator.onnx and prior-*.onnx (provenance inside)
 *   evaluate --onnx DIR [--count N] [--seed S] [--threads T] [--metrics FILE.json]
 * </pre>
 *
 * {@code evaluate} rebuilds the model from exported files alone ({@link Control3Diff#fromExports}) and
 * scores image control by conditioning on the first {@code N} held-out test scenes, 4 results each:
 * PSNR at the input view, PSNR and SSIM at the 8 ring views, and the same ring-view PSNR for the
 * unconditional prior's samples that never see the control (the baseline).
 *
 * Bad input throws {@link IllegalArgumentException} or {@link ConfigException} naming the file or
 * option and value, which the command line turns into exit code 2.
 */
public final class Control3DiffTool implements ToolProvider {

  /** The tool's name. */
  public static final String NAME = "kiln-control3diff";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int run(PrintWriter out, PrintWriter err, String... args) {
    if (args.length > 0 && List.of("train", "export", "evaluate").contains(args[0])) {
      ToolArguments o = ToolArguments.parse(args, 1, List.of("--config", "--output", "--seed", "--threads", "--model",
          "--onnx", "--count", "--metrics"), java.util.Set.of());
      try {
        switch (args[0]) {
          case "train" -> train(o, out);
          case "export" -> export(o, out);
          default -> evaluate(o, out);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.flush();
      return 0;
    }
    Map<String, String> opts = parse(args);
    Path modelDir = Path.of(required(opts, "--model"));
    ControlSignal control = ControlSignal.parse(required(opts, "--control"));
    Path input = Path.of(required(opts, "--input"));
    Path outDir = Path.of(opts.getOrDefault("-o", "control3diff-out"));
    ControlledSampler.Route route = ControlledSampler.Route.parse(opts.getOrDefault("--route", "conditioning"));
    int samples = positive(opts, "--samples", 4);
    long seed = positive(opts, "--seed", 1) - 1L;
    double azimuth = number(opts, "--azimuth", 30);
    double elevation = number(opts, "--elevation", 15);
    OrtBackend backend = new OrtBackend(BackendOptions.cpu(positive(opts, "--threads", 1)));
    try {
      Control3Diff model = Control3Diff.load(modelDir);
      int side = model.gan().config().imageSize();
      float[] rgb = readPicture(input, side);
      float[] c = opts.containsKey("--as-control") ? mapToControl(control, rgb, side) : control.of(rgb, side);
      ControlledSampler.Settings settings = ControlledSampler.Settings.defaults();
      if (opts.containsKey("--steps")) {
        settings = settings.withSteps(positive(opts, "--steps", 25));
      }
      MultiViewDataset.Config scenes = MultiViewDataset.Config.defaults();
      Intrinsics intrinsics = Intrinsics.fromFov(side, side, scenes.fovDegrees());
      Camera pose = Camera.orbit(scenes.cameraRadius(), azimuth, elevation, intrinsics);
      long t0 = System.nanoTime();
      List<float[]> styles = model.sample(route, control, c, pose, samples, settings, backend, seed);
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<Camera> ring = new ArrayList<>();
      for (int a = 0; a < 8; a++) {
        ring.add(Camera.orbit(scenes.cameraRadius(), 45.0 * a, 30, intrinsics));
      }
      float[][][] views = model.render(styles, ring, backend);
      Files.createDirectories(outDir);
      float[] all = new float[samples * ring.size() * 3 * side * side];
      int k = 0;
      for (float[][] row : views) {
        for (float[] img : row) {
          System.arraycopy(img, 0, all, k, img.length);
          k += img.length;
        }
      }
      ImageGrid grid = ImageGrid.forRange(0, 1).withColumns(ring.size()).withScale(4);
      grid.write(Tensor.of(all, samples * ring.size(), 3, side, side), outDir.resolve("views.png"));
      int ch = control.channels();
      float[] shown = control == ControlSignal.IMAGE ? c : controlPicture(control, c, side);
      grid.write(Tensor.of(shown, 1, control == ControlSignal.IMAGE ? 3 : 1, side, side),
          outDir.resolve("control.png"));
      out.printf(Locale.ROOT, "control3diff: %d results for %s control (%s, %d channel%s) in %.1fs; wrote %s%n",
          samples, control.id(), route.id(), ch, ch == 1 ? "" : "s", seconds, outDir.resolve("views.png"));
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The DDIM steps of the study, which {@code evaluate} samples with. */
  static final int EVALUATION_STEPS = 20;

  private static void train(ToolArguments o, PrintWriter out) throws IOException {
    Path config = Path.of(o.required("--config"));
    Control3DiffRecipe recipe = Configs.read(Configs.readFile(config, "control3diff recipe"), Control3DiffRecipe.class,
        config.toString());
    Path dir = Path.of(o.required("--output"));
    Files.createDirectories(dir);
    // The whole recipe, defaults included: what a zoo folder ships as the recipe of this run.
    AtomicFiles.write(dir.resolve("config.json"), Configs.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(Configs.toTree(recipe)));
    Control3Diff model = Control3DiffTraining.train(recipe, seed(o), backend(o), dir,
        new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
            java.nio.charset.StandardCharsets.UTF_8));
    model.save(dir.resolve("model"));
    out.println("control3diff: model in " + dir.resolve("model"));
  }

  private static void export(ToolArguments o, PrintWriter out) throws IOException {
    Path model = Path.of(o.required("--model"));
    Path trained = Files.isRegularFile(model.resolve("model").resolve(Control3Diff.GAN_FILE)) ? model.resolve("model")
        : model;
    Path dir = Path.of(o.required("--output"));
    Control3Diff.load(trained).export(dir, 1);
    out.println("control3diff: generator and priors exported to " + dir);
  }

  private static void evaluate(ToolArguments o, PrintWriter out) throws IOException {
    Path dir = Path.of(o.required("--onnx"));
    int count = (int) o.integer("--count", 4);
    if (count < 1 || count > 64) {
      throw new IllegalArgumentException("control3diff: --count must be in [1, 64], got " + count);
    }
    Control3Diff model = Control3Diff.fromExports(dir);
    String recipe = model.provenance().get("recipe");
    if (recipe == null) {
      throw new ConfigException(dir.resolve(Control3Diff.GENERATOR_ONNX) + ": metadata holds no `recipe`, so its"
          + " held-out scenes are unknown; export it with kiln control3diff export");
    }
    MultiViewDataset.Config dc = Configs.read(Configs.parse(recipe, dir + " recipe").get("data"),
        MultiViewDataset.Config.class, dir + " recipe field `data`");
    MultiViewDataset.Config held = new MultiViewDataset.Config(dc.categories(), dc.trainScenes(), count,
        dc.trainViews(), dc.imageSize(), dc.fovDegrees(), dc.cameraRadius(), dc.supersample(), dc.seed());
    List<MultiViewDataset.SceneViews> scenes = MultiViewDataset.generate(held).test();
    ControlledSampler.Settings settings = ControlledSampler.Settings.defaults().withSteps(EVALUATION_STEPS);
    OrtBackend backend = backend(o);
    long seed = seed(o);
    ControlScores c = ControlScores.of(model, ControlledSampler.Route.CONDITIONING, ControlSignal.IMAGE, scenes,
        settings, 4, seed, backend);
    ControlScores u = ControlScores.of(model, ControlledSampler.Route.GUIDANCE, ControlSignal.IMAGE, scenes,
        settings.withGuidanceScale(0), 4, seed, backend);
    Map<String, Double> scores = new LinkedHashMap<>();
    scores.put("input_psnr", c.fidelity());
    scores.put("novel_psnr", c.novelPsnr());
    scores.put("novel_ssim", c.novelSsim());
    scores.put("novel_psnr_unconditional", u.novelPsnr());
    o.report(scores, out);
  }

  private static OrtBackend backend(ToolArguments o) {
    return new OrtBackend(BackendOptions.cpu((int) o.integer("--threads", 1)));
  }

  private static long seed(ToolArguments o) {
    long s = o.integer("--seed", 0);
    if (s < 0) {
      throw new IllegalArgumentException("control3diff: --seed must be a non-negative integer, got " + s);
    }
    return s;
  }

  /** An RGB picture [3, side, side] in [0, 1]; a missing, unreadable or wrongly sized file is named. */
  static float[] readPicture(Path file, int side) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "control picture does not exist");
    }
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new ConfigException("--input " + file + ": not a PNG or other picture ImageIO can read");
    }
    if (img.getWidth() != side || img.getHeight() != side) {
      throw new ConfigException("--input " + file + ": picture is " + img.getWidth() + "×" + img.getHeight()
          + " but the model renders " + side + "×" + side);
    }
    return Pictures.planarRgb(img);
  }

  /** A picture that is the control map itself: edges are dark pixels; segmentation grey k/3 is level k. */
  static float[] mapToControl(ControlSignal control, float[] rgb, int side) {
    int n = side * side;
    return switch (control) {
      case IMAGE -> rgb;
      case EDGES -> {
        float[] c = new float[n];
        for (int p = 0; p < n; p++) {
          c[p] = grey(rgb, p, n) < 0.5 ? 1 : 0;
        }
        yield c;
      }
      case SEGMENTATION -> {
        int levels = control.channels();
        float[] c = new float[levels * n];
        for (int p = 0; p < n; p++) {
          int k = (int) Math.round(grey(rgb, p, n) * (levels - 1));
          c[k * n + p] = 1;
        }
        yield c;
      }
    };
  }

  private static float[] controlPicture(ControlSignal control, float[] c, int side) {
    int n = side * side;
    float[] grey = new float[n];
    for (int p = 0; p < n; p++) {
      if (control == ControlSignal.EDGES) {
        grey[p] = 1 - c[p];
      } else {
        int best = 0;
        for (int k = 1; k < control.channels(); k++) {
          best = c[k * n + p] > c[best * n + p] ? k : best;
        }
        grey[p] = (float) best / (control.channels() - 1);
      }
    }
    return grey;
  }

  private static double grey(float[] rgb, int p, int n) {
    return (rgb[p] + rgb[n + p] + rgb[2 * n + p]) / 3;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--as-control")) {
        opts.put(a, "true");
      } else if (a.startsWith("-") && i + 1 < args.length) {
        opts.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException("control3diff: unexpected argument `" + a + "`");
      }
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("control3diff: " + name + " is required");
    }
    return v;
  }

  private static int positive(Map<String, String> opts, String name, int fallback) {
    String v = opts.get(name);
    try {
      int n = v == null ? fallback : Integer.parseInt(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("control3diff: " + name + " must be a positive integer, got `" + v + "`");
    }
  }

  private static double number(Map<String, String> opts, String name, double fallback) {
    String v = opts.get(name);
    try {
      double d = v == null ? fallback : Double.parseDouble(v);
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("control3diff: " + name + " must be a number of degrees, got `" + v + "`");
    }
  }
}
