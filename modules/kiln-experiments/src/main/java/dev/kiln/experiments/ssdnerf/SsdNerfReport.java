package dev.kiln.experiments.ssdnerf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.DType;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.Intrinsics;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.ssd.HeldOutEvaluation;
import dev.kiln.nerf.ssd.SsdNerf;
import dev.kiln.nerf.ssd.SsdTrainer;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.viz.ImageGrid;
import dev.kiln.viz.LinePlot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The SSDNeRF study's outputs: raw results, the summary table and the figures. */
final class SsdNerfReport {

  private static final int SHOWN_SCENES = 4;
  private static final int[] SHOWN_VIEWS = {0, 2, 4, 6};
  private static final int RING = 8;

  private final SsdNerfExperiment.Plan plan;
  private final MultiViewDataset data;
  private final Path out;
  private final Map<Integer, Map<SsdTrainer.Schedule, float[][][]>> reconstructions = new TreeMap<>();
  private final Map<SsdTrainer.Schedule, float[][]> trainingFits = new EnumMap<>(SsdTrainer.Schedule.class);

  SsdNerfReport(SsdNerfExperiment.Plan plan, MultiViewDataset data, Path out) {
    this.plan = plan;
    this.data = data;
    this.out = out;
  }

  void keepReconstruction(SsdTrainer.Schedule schedule, int views, HeldOutEvaluation eval) {
    reconstructions.computeIfAbsent(views, v -> new EnumMap<>(SsdTrainer.Schedule.class)).put(schedule,
        eval.renders());
  }

  /** Renders the first training scenes' fitted codes at their first training view. */
  void keepTrainingFit(SsdTrainer.Schedule schedule, SsdNerf model, OrtBackend backend) {
    int n = Math.min(SHOWN_SCENES * 2, data.train().size());
    List<float[]> x = model.trainedTriplanes().subList(0, n);
    List<Camera> cams = data.train().subList(0, n).stream().map(s -> s.inputs().get(0).camera()).toList();
    trainingFits.put(schedule, model.render(x, cams, backend));
  }

  /** Unconditional samples, each rendered from a ring of eight cameras at 30° elevation. */
  void writeUnconditional(SsdNerf model, List<float[]> samples, OrtBackend backend) throws IOException {
    int size = plan.data().imageSize();
    Intrinsics in = Intrinsics.fromFov(size, size, plan.data().fovDegrees());
    List<float[]> images = new ArrayList<>();
    for (int k = 0; k < RING; k++) {
      double az = 360.0 * k / RING;
      List<Camera> cams = samples.stream().map(s -> Camera.orbit(plan.data().cameraRadius(), az, 30, in)).toList();
      images.addAll(Arrays.asList(model.render(samples, cams, backend)));
    }
    // images are view-major; the grid wants one sample per row.
    List<float[]> rows = new ArrayList<>();
    for (int s = 0; s < samples.size(); s++) {
      for (int k = 0; k < RING; k++) {
        rows.add(images.get(k * samples.size() + s));
      }
    }
    grid(rows, RING, "ssdnerf-unconditional.png");
  }

  /**
   * The runs of the {@code results.json} an earlier, stopped or shorter study left in the output folder,
   * when it was written for the same data and model settings; none otherwise.
   */
  List<SsdNerfExperiment.Run> earlierRuns() throws IOException {
    Path file = out.resolve("results.json");
    if (!Files.exists(file)) {
      return List.of();
    }
    JsonNode root = Configs.mapper().readTree(file.toFile());
    if (!root.path("data").equals(asWritten(plan.data())) || !root.path("ssdnerf").equals(asWritten(plan.ssdnerf()))) {
      return List.of();
    }
    List<SsdNerfExperiment.Run> runs = new ArrayList<>();
    for (JsonNode n : root.path("runs")) {
      Map<Double, Double> validation = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : n.path("validation_1view_guided_psnr").properties()) {
        validation.put(Double.parseDouble(e.getKey()), e.getValue().asDouble());
      }
      Map<Integer, SsdNerfExperiment.Scores> scores = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : n.path("scores").properties()) {
        scores.put(Integer.parseInt(e.getKey().replace("_view", "")),
            Configs.mapper().treeToValue(e.getValue(), SsdNerfExperiment.Scores.class));
      }
      List<SsdTrainer.Point> curve = new ArrayList<>();
      for (JsonNode p : n.path("curve")) {
        curve.add(Configs.mapper().treeToValue(p, SsdTrainer.Point.class));
      }
      runs.add(new SsdNerfExperiment.Run(n.path("schedule").asText(), n.path("seed").asLong(),
          n.path("train_seconds").asDouble(), n.path("train_fit_psnr").asDouble(), curve, validation,
          n.path("guidance_scale").asDouble(), scores));
    }
    return runs;
  }

  /** {@code settings} as read back from JSON (a float field reads back as a double). */
  private static JsonNode asWritten(Object settings) throws IOException {
    return Configs.mapper().readTree(Configs.mapper().writeValueAsBytes(Configs.toTree(settings)));
  }

  void writeResults(List<SsdNerfExperiment.Run> runs) throws IOException {
    ObjectNode root = Configs.mapper().createObjectNode();
    root.set("data", Configs.toTree(plan.data()));
    root.set("ssdnerf", Configs.toTree(plan.ssdnerf()));
    ArrayNode list = root.putArray("runs");
    for (SsdNerfExperiment.Run r : runs) {
      ObjectNode n = list.addObject();
      n.put("schedule", r.schedule());
      n.put("seed", r.seed());
      n.put("train_seconds", r.trainSeconds());
      n.put("train_fit_psnr", r.trainFitPsnr());
      n.put("guidance_scale", r.guidanceScale());
      ObjectNode val = n.putObject("validation_1view_guided_psnr");
      r.validation().forEach((scale, psnr) -> val.put(plain(scale), psnr));
      ObjectNode sc = n.putObject("scores");
      r.scores().forEach((views, s) -> sc.set(views + "_view", Configs.toTree(s)));
      ArrayNode curve = n.putArray("curve");
      for (SsdTrainer.Point p : r.curve()) {
        curve.add(Configs.toTree(p));
      }
    }
    AtomicFiles.write(out.resolve("results.json"),
        Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  void writeSummary(List<SsdNerfExperiment.Run> runs) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("| input views | schedule | PSNR guided only | SSIM guided only | PSNR + finetune | SSIM + finetune |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (int views : SsdNerfExperiment.VIEWS) {
      for (SsdTrainer.Schedule schedule : SsdTrainer.Schedule.values()) {
        List<SsdNerfExperiment.Scores> s = runs.stream().filter(r -> r.schedule().equals(schedule.id()))
            .map(r -> r.scores().get(views)).toList();
        md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |%n", views, schedule.id(),
            meanStd(s.stream().mapToDouble(SsdNerfExperiment.Scores::guidedPsnr).toArray(), 2),
            meanStd(s.stream().mapToDouble(SsdNerfExperiment.Scores::guidedSsim).toArray(), 3),
            meanStd(s.stream().mapToDouble(SsdNerfExperiment.Scores::psnr).toArray(), 2),
            meanStd(s.stream().mapToDouble(SsdNerfExperiment.Scores::ssim).toArray(), 3)));
      }
    }
    md.append("\n| schedule | seed | training s | training-view PSNR of fitted codes | λ_gd chosen on validation"
        + " | validation 1-view PSNR (guided only) by λ_gd |\n|---|---|---|---|---|---|\n");
    for (SsdNerfExperiment.Run r : runs) {
      StringBuilder tried = new StringBuilder();
      r.validation().forEach((scale, psnr) -> tried.append(tried.isEmpty() ? "" : ", ")
          .append(plain(scale)).append(String.format(Locale.ROOT, ": %.2f", psnr)));
      md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %s | %s |%n", r.schedule(), r.seed(),
          r.trainSeconds(), r.trainFitPsnr(), plain(r.guidanceScale()), tried));
    }
    AtomicFiles.write(out.resolve("summary.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    writeReconstructionFigures();
    writeTrainingFigures(runs);
  }

  /** Per scene: input view and ground truth at held-out views, then single-stage and two-stage renders. */
  private void writeReconstructionFigures() throws IOException {
    for (Map.Entry<Integer, Map<SsdTrainer.Schedule, float[][][]>> e : reconstructions.entrySet()) {
      int views = e.getKey();
      List<float[]> cells = new ArrayList<>();
      int n = Math.min(SHOWN_SCENES, data.test().size());
      int columns = views + SHOWN_VIEWS.length;
      for (int s = 0; s < n; s++) {
        MultiViewDataset.SceneViews scene = data.test().get(s);
        for (int v = 0; v < views; v++) {
          cells.add(scene.inputs().get(v).rgb());
        }
        for (int k : SHOWN_VIEWS) {
          cells.add(scene.heldOut().get(k).rgb());
        }
        for (SsdTrainer.Schedule schedule : SsdTrainer.Schedule.values()) {
          float[][][] r = e.getValue().get(schedule);
          if (r == null) {
            continue;
          }
          for (int v = 0; v < views; v++) {
            cells.add(blank());
          }
          for (int k : SHOWN_VIEWS) {
            cells.add(r[s][k]);
          }
        }
      }
      grid(cells, columns, "ssdnerf-recon-" + views + "view.png");
    }
  }

  private void writeTrainingFigures(List<SsdNerfExperiment.Run> runs) throws IOException {
    List<LinePlot.Series> mse = new ArrayList<>();
    List<LinePlot.Series> diffusion = new ArrayList<>();
    for (SsdNerfExperiment.Run r : runs) {
      if (r.seed() != 0) {
        continue;
      }
      List<SsdTrainer.Point> stage1 = r.curve().stream().filter(p -> p.stage() == 1).toList();
      mse.add(new LinePlot.Series(r.schedule(), stage1.stream().mapToDouble(SsdTrainer.Point::iteration).toArray(),
          stage1.stream().mapToDouble(SsdTrainer.Point::renderMse).toArray()));
      List<SsdTrainer.Point> prior = r.curve().stream().filter(p -> !Double.isNaN(p.diffusionLoss())).toList();
      diffusion.add(new LinePlot.Series(r.schedule(), prior.stream().mapToDouble(SsdTrainer.Point::iteration)
          .toArray(), prior.stream().mapToDouble(SsdTrainer.Point::diffusionLoss).toArray()));
    }
    LinePlot.titled("training rendering MSE (seed 0)").withLabels("outer iteration", "MSE").withLogY(true)
        .write(out.resolve("ssdnerf-training-mse.png"), mse);
    LinePlot.titled("diffusion loss λ_diff·L_diff (seed 0)").withLabels("prior step", "loss").withLogY(true)
        .write(out.resolve("ssdnerf-training-diffusion.png"), diffusion);
    List<float[]> cells = new ArrayList<>();
    int n = Math.min(SHOWN_SCENES * 2, data.train().size());
    for (int s = 0; s < n; s++) {
      cells.add(data.train().get(s).inputs().get(0).rgb());
    }
    for (SsdTrainer.Schedule schedule : SsdTrainer.Schedule.values()) {
      float[][] fit = trainingFits.get(schedule);
      if (fit != null) {
        cells.addAll(Arrays.asList(fit));
      }
    }
    grid(cells, n, "ssdnerf-training-fit.png");
  }

  private float[] blank() {
    int size = plan.data().imageSize();
    float[] white = new float[3 * size * size];
    Arrays.fill(white, 1f);
    return white;
  }

  private void grid(List<float[]> cells, int columns, String file) throws IOException {
    int size = plan.data().imageSize();
    Tensor t = Tensor.zeros(DType.FLOAT, cells.size(), 3, size, size);
    for (int i = 0; i < cells.size(); i++) {
      t.floats().put(i * 3 * size * size, cells.get(i));
    }
    new ImageGrid(0, 1, columns, 2, 3).write(t, out.resolve(file));
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String meanStd(double[] v, int digits) {
    double mean = Arrays.stream(v).average().orElse(Double.NaN);
    if (v.length < 2) {
      return String.format(Locale.ROOT, "%." + digits + "f", mean);
    }
    double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
    return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f", mean, Math.sqrt(var));
  }
}
