package dev.kiln.experiments.nerfdiff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.experiments.nerfdiff.NerfDiffExperiment.Plan;
import dev.kiln.experiments.nerfdiff.NerfDiffExperiment.Row;
import dev.kiln.experiments.nerfdiff.NerfDiffExperiment.Run;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.viz.ImageGrid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/** Writes the NerfDiff study's raw numbers, summary tables and turntable sheets. */
final class NerfDiffReport {

  private static final List<String> METHODS = List.of("nerf-only", "cdm-samples", "naive-distillation", "ngd",
      "ngd-views");

  private final Plan plan;
  private final MultiViewDataset data;
  private final Path out;
  private final List<String> turntables = new ArrayList<>();

  NerfDiffReport(Plan plan, MultiViewDataset data, Path out) {
    this.plan = plan;
    this.data = data;
    this.out = out;
  }

  void writeResults(List<Run> runs, List<Row> rows) throws IOException {
    ObjectNode root = Configs.mapper().createObjectNode();
    root.set("plan", Configs.toTree(plan));
    root.set("runs", Configs.mapper().valueToTree(runs));
    root.set("rows", Configs.mapper().valueToTree(rows));
    AtomicFiles.write(out.resolve("results.json"),
        Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  /**
   * A sheet of one test scene: the input view, then a row per method at the eight ring views, under
   * the ground truth.
   */
  void keepTurntable(SceneViews scene, View input, List<float[][]> methods) throws IOException {
    if (turntables.size() >= plan.turntableScenes()) {
      return;
    }
    int s = input.width();
    int cols = scene.heldOut().size() + 1;
    int n = 3 * s * s;
    float[] blank = new float[n];
    Arrays.fill(blank, 1f);
    List<float[]> tiles = new ArrayList<>();
    tiles.add(input.rgb());
    scene.heldOut().forEach(v -> tiles.add(v.rgb()));
    for (float[][] views : methods) {
      tiles.add(blank);
      tiles.addAll(Arrays.asList(views));
    }
    float[] all = new float[tiles.size() * n];
    for (int i = 0; i < tiles.size(); i++) {
      System.arraycopy(tiles.get(i), 0, all, i * n, n);
    }
    String file = "nerfdiff-turntable-scene-" + scene.index() + ".png";
    new ImageGrid(0, 1, cols, 2, 4).write(Tensor.of(all, tiles.size(), 3, s, s), out.resolve(file));
    turntables.add(file);
  }

  void writeSummary(List<Run> runs, List<Row> rows) throws IOException {
    StringBuilder md = new StringBuilder("# NerfDiff study\n\n");
    md.append(String.format(Locale.ROOT, "%d training scenes × %d views at %d×%d, %d test scenes; %d seed(s).%n%n",
        data.train().size(), plan.data().trainViews(), plan.data().imageSize(), plan.data().imageSize(),
        data.test().size(), runs.size()));
    md.append("## Training\n\n| seed | seconds | final NeRF MSE | final CDM loss |\n|---|---|---|---|\n");
    for (Run r : runs) {
      var last = r.curve().get(r.curve().size() - 1);
      md.append(String.format(Locale.ROOT, "| %d | %.0f | %.5f | %.4f |%n", r.seed(), r.trainSeconds(),
          last.nerfMse(), last.cdmLoss()));
    }
    double gamma = plan.nerfdiff().distillation().guidance();
    Set<String> categories = new LinkedHashSet<>();
    rows.forEach(r -> categories.add(r.category()));
    md.append(String.format(Locale.ROOT, "%n## Held-out views, γ = %s (mean ± std over seeds of the per-seed"
        + " mean over scenes)%n%n", gamma));
    md.append("| category | method | PSNR | SSIM | sharpness | 3D-consistency (dB) | seconds/scene |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (String cat : categories) {
      for (String m : METHODS) {
        Predicate<Row> sel = r -> r.category().equals(cat) && r.method().equals(m)
            && (Double.isNaN(r.guidance()) || r.guidance() == gamma);
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", cat, m,
            stat(rows, sel, Row::psnr, 2), stat(rows, sel, Row::ssim, 3), stat(rows, sel, Row::sharpness, 2),
            stat(rows, sel, Row::consistency, 2), stat(rows, sel, Row::seconds, 1)));
      }
    }
    List<Double> gammas = new ArrayList<>(plan.guidanceSweep());
    gammas.add(gamma);
    gammas.sort(Double::compare);
    md.append("\n## Guidance sweep (all test scenes)\n\n| γ | NeRF PSNR | NeRF SSIM | NeRF sharpness | Ĩ PSNR |"
        + " Ĩ sharpness | Ĩ 3D-consistency (dB) | seconds/scene |\n|---|---|---|---|---|---|---|---|\n");
    for (double g : gammas) {
      Predicate<Row> nerf = r -> r.method().equals("ngd") && r.guidance() == g;
      Predicate<Row> views = r -> r.method().equals("ngd-views") && r.guidance() == g;
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", g,
          stat(rows, nerf, Row::psnr, 2), stat(rows, nerf, Row::ssim, 3), stat(rows, nerf, Row::sharpness, 2),
          stat(rows, views, Row::psnr, 2), stat(rows, views, Row::sharpness, 2),
          stat(rows, views, Row::consistency, 2), stat(rows, nerf, Row::seconds, 1)));
    }
    md.append("\n## Turntables (first seed; rows: ground truth with the input view first, NeRF only, CDM"
        + " samples, naive distillation, NGD)\n\n");
    turntables.forEach(f -> md.append("![").append(f).append("](").append(f).append(")\n"));
    AtomicFiles.write(out.resolve("summary.md"), md.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** "mean ± std" over seeds of the per-seed mean of {@code value} over the selected rows. */
  private static String stat(List<Row> rows, Predicate<Row> select, ToDoubleFunction<Row> value, int digits) {
    List<Double> perSeed = new ArrayList<>();
    rows.stream().filter(select).map(Row::seed).distinct().sorted().forEach(seed -> perSeed.add(rows.stream()
        .filter(select).filter(r -> r.seed() == seed).mapToDouble(value).average().orElse(Double.NaN)));
    if (perSeed.isEmpty() || perSeed.stream().allMatch(v -> v.isNaN())) {
      return "–";
    }
    double mean = perSeed.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double var = perSeed.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, perSeed.size() - 1);
    String f = "%." + digits + "f";
    return perSeed.size() == 1 ? String.format(Locale.ROOT, f, mean)
        : String.format(Locale.ROOT, f + " ± " + f, mean, Math.sqrt(var));
  }
}
