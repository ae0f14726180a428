package dev.kiln.experiments.control3diff;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.experiments.control3diff.Control3DiffExperiment.GanScores;
import dev.kiln.experiments.control3diff.Control3DiffExperiment.Plan;
import dev.kiln.nerf.control3diff.ControlScores;
import dev.kiln.experiments.control3diff.Control3DiffExperiment.SeedRun;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.nerf.control3diff.Control3Diff;
import dev.kiln.nerf.control3diff.ControlSignal;
import dev.kiln.nerf.control3diff.ControlledSampler;
import dev.kiln.nerf.control3diff.GanTrainer;
import dev.kiln.nerf.control3diff.TriplaneGan;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.viz.ImageGrid;
import dev.kiln.viz.LinePlot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The Control3Diff study's files: results.json, summary.md and the PNG figures. */
final class Control3DiffReport {

  /** Latents shown over angles. */
  private static final int SHOWN = 6;
  /** Azimuths of the angle grids, at 30° elevation. */
  private static final int ANGLES = 8;

  private final Plan plan;
  private final MultiViewDataset data;
  private final Path out;

  Control3DiffReport(Plan plan, MultiViewDataset data, Path out) {
    this.plan = plan;
    this.data = data;
    this.out = out;
  }

  private int side() {
    return plan.gan().imageSize();
  }

  private List<Camera> ring() {
    return data.test().get(0).heldOut().stream().map(View::camera).toList();
  }

  /** The GAN's figures: one latent per row over 8 azimuths (trained and untrained), real views, curves. */
  void writeGan(TriplaneGan gan, TriplaneGan untrained, List<View> views, List<GanTrainer.Point> curve,
      OrtBackend backend) throws IOException {
    for (TriplaneGan g : List.of(gan, untrained)) {
      List<float[]> ws = g.sampleStyles(SHOWN, Seeds.rng(5, "shown-styles"), backend);
      List<float[]> cells = new ArrayList<>();
      for (float[] w : ws) {
        List<float[]> row = g.render(java.util.Collections.nCopies(ANGLES, w), ring(), backend);
        cells.addAll(row);
      }
      grid(cells, ANGLES, g == gan ? "control3diff-gan-angles.png" : "control3diff-gan-angles-untrained.png");
    }
    List<float[]> real = new ArrayList<>();
    for (int i = 0; i < Math.min(24, views.size()); i++) {
      real.add(views.get(i).rgb());
    }
    grid(real, 8, "control3diff-training-views.png");
    double[] x = curve.stream().mapToDouble(GanTrainer.Point::step).toArray();
    LinePlot.titled("GAN training (single views)").withLabels("step", "loss").write(
        out.resolve("control3diff-gan-curve.png"),
        new LinePlot.Series("L_D (with γ/2·R1)", x, curve.stream().mapToDouble(GanTrainer.Point::discriminatorLoss)
            .toArray()),
        new LinePlot.Series("L_G", x, curve.stream().mapToDouble(GanTrainer.Point::generatorLoss).toArray()),
        new LinePlot.Series("R1", x, curve.stream().mapToDouble(GanTrainer.Point::r1).toArray()));
  }

  /**
   * One test scene under one control: a row with the input view, its control and the scene's ring
   * views, then per route the 4 samples' renders over the ring.
   */
  void writeControlFigure(Control3Diff model, ControlSignal control, SceneViews scene,
      ControlledSampler.Settings settings, OrtBackend backend) throws IOException {
    View input = scene.inputs().get(0);
    float[] c = control.of(input.rgb(), side());
    List<float[]> cells = new ArrayList<>();
    List<float[]> header = new ArrayList<>();
    header.add(input.rgb());
    header.add(asRgb(control, c));
    scene.heldOut().forEach(v -> header.add(v.rgb()));
    cells.addAll(header);
    int columns = header.size();
    for (ControlledSampler.Route r : ControlledSampler.Route.values()) {
      List<float[]> styles = model.sample(r, control, c, input.camera(), Control3DiffExperiment.SAMPLES, settings,
          backend, 4242);
      List<Camera> cams = new ArrayList<>(List.of(input.camera()));
      cams.addAll(ring());
      float[][][] images = model.render(styles, cams, backend);
      for (float[][] s : images) {
        cells.add(s[0]);
        cells.add(asRgb(control, control.of(s[0], side())));
        for (int v = 1; v < s.length; v++) {
          cells.add(s[v]);
        }
      }
    }
    grid(cells, columns, "control3diff-" + control.id() + ".png");
  }

  /** A control as an RGB picture: itself, edges in black on white, segmentation levels as grey. */
  private float[] asRgb(ControlSignal control, float[] c) {
    int n = side() * side();
    float[] rgb = new float[3 * n];
    for (int p = 0; p < n; p++) {
      float v = switch (control) {
        case IMAGE -> Float.NaN;
        case EDGES -> 1 - c[p];
        case SEGMENTATION -> {
          int best = 0;
          for (int k = 1; k < c.length / n; k++) {
            best = c[k * n + p] > c[best * n + p] ? k : best;
          }
          yield (float) best / (c.length / n - 1);
        }
      };
      for (int ch = 0; ch < 3; ch++) {
        rgb[ch * n + p] = control == ControlSignal.IMAGE ? c[ch * n + p] : v;
      }
    }
    return rgb;
  }

  private void grid(List<float[]> images, int columns, String name) throws IOException {
    int size = 3 * side() * side();
    float[] all = new float[images.size() * size];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, all, i * size, size);
    }
    ImageGrid.forRange(0, 1).withColumns(columns).withScale(4).write(
        Tensor.of(all, images.size(), 3, side(), side()), out.resolve(name));
  }

  void writeResults(GanScores gan, List<GanTrainer.Point> ganCurve, Map<Double, Double> sweep, double lambda,
      List<SeedRun> runs) throws IOException {
    ObjectNode root = Configs.mapper().createObjectNode();
    root.set("data", Configs.toTree(plan.data()));
    root.set("gan_config", Configs.toTree(plan.gan()));
    root.set("prior_config", Configs.toTree(plan.prior()));
    root.set("sampler", Configs.toTree(plan.sampler()));
    root.set("gan", Configs.toTree(gan));
    ArrayNode curve = root.putArray("gan_curve");
    ganCurve.forEach(p -> curve.add(Configs.toTree(p)));
    ObjectNode sw = root.putObject("guidance_scale_sweep");
    sweep.forEach((l, psnr) -> sw.put(String.format(Locale.ROOT, "%.0f", l), psnr));
    root.put("guidance_scale", lambda);
    ArrayNode list = root.putArray("seeds");
    for (SeedRun r : runs) {
      ObjectNode n = list.addObject();
      n.put("seed", r.seed());
      n.set("scores", Configs.mapper().valueToTree(r.byControlAndRoute()));
      n.set("prior_curves", Configs.mapper().valueToTree(r.priorCurves()));
    }
    AtomicFiles.write(out.resolve("results.json"),
        Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  void writeSummary(GanScores gan, Map<Double, Double> sweep, double lambda, List<SeedRun> runs) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Control3Diff study (generated)\n\n");
    md.append(String.format(Locale.ROOT, "GAN: %d steps in %.0f s. Fréchet distance (4×4-pooled RGB, ring views): "
        + "trained %.4f, untrained %.4f, real halves %.4f.%n%n", plan.gan().steps(), gan.seconds(), gan.fid(),
        gan.fidUntrained(), gan.fidRealHalves()));
    md.append("Guidance scale sweep (validation input-view PSNR, image control): ");
    sweep.forEach((l, p) -> md.append(String.format(Locale.ROOT, "λ=%.0f: %.2f dB; ", l, p)));
    md.append(String.format(Locale.ROOT, "chosen λ = %.0f.%n%n", lambda));
    md.append(String.format(Locale.ROOT, "Mean ± std over %d seeds, %d test scenes, %d samples each.%n%n",
        runs.size(), plan.evalScenes(), Control3DiffExperiment.SAMPLES));
    md.append("| control | route | fidelity at input view | input SSIM | novel PSNR | novel SSIM | diversity | s / 4 "
        + "samples |\n|---|---|---|---|---|---|---|---|\n");
    for (ControlSignal c : ControlSignal.values()) {
      for (String route : runs.get(0).byControlAndRoute().get(c.id()).keySet()) {
        List<ControlScores> s = runs.stream().map(x -> x.byControlAndRoute().get(c.id()).get(route)).toList();
        md.append("| ").append(c.id()).append(" | ").append(route).append(" | ")
            .append(stat(s, ControlScores::fidelity, 3)).append(" | ").append(stat(s, ControlScores::inputSsim, 3))
            .append(" | ").append(stat(s, ControlScores::novelPsnr, 2)).append(" | ")
            .append(stat(s, ControlScores::novelSsim, 3)).append(" | ").append(stat(s, ControlScores::diversity, 4))
            .append(" | ").append(stat(s, ControlScores::seconds, 1)).append(" |\n");
      }
    }
    md.append("\nFidelity: PSNR in dB (image), edge IoU (edges), pixel accuracy (segmentation).\n");
    AtomicFiles.write(out.resolve("summary.md"), md.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String stat(List<ControlScores> s, ToDoubleFunction<ControlScores> f, int digits) {
    double[] v = s.stream().mapToDouble(f).toArray();
    if (Double.isNaN(v[0])) {
      return "—";
    }
    double mean = 0;
    for (double x : v) {
      mean += x / v.length;
    }
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean) / Math.max(1, v.length - 1);
    }
    String fmt = "%." + digits + "f ± %." + digits + "f";
    return String.format(Locale.ROOT, fmt, mean, Math.sqrt(var));
  }
}
