package dev.kiln.experiments.nerfdiff;

import dev.kiln.nerf.nerfdiff.NerfDiff;
import dev.kiln.nerf.nerfdiff.NerfDiffConfig;
import dev.kiln.nerf.nerfdiff.NerfDiffTrainer;
import dev.kiln.nerf.nerfdiff.NerfGuidedDistillation;
import dev.kiln.nerf.nerfdiff.NerfGuidedDistillation.Mode;
import dev.kiln.nerf.nerfdiff.TriplaneFit;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.scenes.Category;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Experiment;
import dev.kiln.train.MetricsLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The NerfDiff study (arXiv 2302.10109) at CPU scale: train the single-image NeRF and the 3D-aware
 * CDM jointly on toy cars and chairs, then reconstruct unseen test scenes from one view in the four
 * ways of {@link NerfGuidedDistillation} (NeRF only, raw CDM samples per view, naive distillation,
 * NGD), at the eight held-out ring views used as virtual views. Scores PSNR, SSIM and sharpness
 * against the ground truth and the leave-one-out 3D-consistency of each method's view set, over
 * several training seeds; sweeps the guidance strength γ; times NGD per scene; draws the four
 * methods' turntables side by side. Writes {@code results.json}, {@code summary.md}, per-seed
 * {@code metrics-seed-N.jsonl} and PNG sheets. Report: {@code docs/reproductions/nerfdiff.md}.
 */
public final class NerfDiffExperiment implements Experiment {

  /**
   * What one study runs.
   *
   * @param data the dataset (test scenes alternate between its categories)
   * @param nerfdiff model, training and distillation settings
   * @param seeds training seeds
   * @param guidanceSweep γ values NGD is run at besides the configured one
   * @param consistencyFolds left-out views per consistency score
   * @param consistencySteps Adam steps of each fresh consistency NeRF
   * @param consistencyRays rays per step of each fresh consistency NeRF
   * @param consistencyLr its learning rate
   * @param turntableScenes test scenes drawn side by side (first seed)
   * @param logEvery training steps between logged points
   */
  public record Plan(MultiViewDataset.Config data, NerfDiffConfig nerfdiff, int seeds, List<Double> guidanceSweep,
      int consistencyFolds, int consistencySteps, int consistencyRays, double consistencyLr, int turntableScenes,
      int logEvery) {

    /**
     * The study as reported, sized for about half an hour on two shared CPU cores: 48 training
     * scenes × 12 views and 4 test scenes (2 cars, 2 chairs) at 16×16; 300 joint steps of 8 pairs;
     * NGD with the 8 held-out ring views as virtual views, 20 DDIM steps from 0.98·T, N = 4
     * finetuning steps of 256 rays; γ ∈ {0.1, 10} besides the default 1; consistency over 2 folds
     * of 100 steps.
     */
    public static Plan full() {
      MultiViewDataset.Config data = new MultiViewDataset.Config(List.of(Category.TOYCAR, Category.CHAIR), 48, 4,
          12, 16, null, null, 2, null);
      NerfDiffConfig.Distillation d = new NerfDiffConfig.Distillation(1.0, 20, 0.98, 4, 256, 5e-3, true);
      NerfDiffConfig config = new NerfDiffConfig(null, new NerfDiffConfig.Training(300, 8, 2e-3, 2e-3), d);
      return new Plan(data, config, 3, List.of(0.1, 10.0), 2, 100, 256, 2e-2, 4, 20);
    }

    /** A few steps of everything on a tiny set: checks the study runs end to end. */
    public static Plan quick() {
      MultiViewDataset.Config data = new MultiViewDataset.Config(List.of(Category.TOYCAR, Category.CHAIR), 4, 2,
          3, 8, null, null, 1, null);
      NerfDiffConfig.Model model = new NerfDiffConfig.Model(8, 2, 8, 6, null, 8, 8, List.of(1, 2), 4, 100, null,
          null);
      NerfDiffConfig.Distillation d = new NerfDiffConfig.Distillation(1.0, 3, 0.98, 1, 32, 5e-3, true);
      NerfDiffConfig config = new NerfDiffConfig(model, new NerfDiffConfig.Training(3, 2, 2e-3, 1e-3), d);
      return new Plan(data, config, 1, List.of(10.0), 2, 3, 32, 2e-2, 1, 1);
    }

    public Plan withSeeds(int n) {
      return new Plan(data, nerfdiff, n, guidanceSweep, consistencyFolds, consistencySteps, consistencyRays,
          consistencyLr, turntableScenes, logEvery);
    }
  }

  /**
   * Scores of one method on one test scene.
   *
   * @param seed training seed
   * @param scene test scene index in the dataset
   * @param category its category
   * @param method {@code nerf-only}, {@code cdm-samples}, {@code naive-distillation}, {@code ngd} (the
   *     final NeRF's renderings) or {@code ngd-views} (NGD's refined views Ĩ)
   * @param guidance γ (NaN for methods without guidance)
   * @param psnr mean PSNR at the held-out views
   * @param ssim mean SSIM
   * @param sharpness high-frequency energy relative to the ground truth
   * @param consistency leave-one-out PSNR of the view set (NaN where not scored)
   * @param seconds reconstruction wall time
   */
  public record Row(long seed, int scene, String category, String method, double guidance, double psnr,
      double ssim, double sharpness, double consistency, double seconds) {}

  /**
   * One training run.
   *
   * @param seed training seed
   * @param trainSeconds wall time of training
   * @param curve logged training points
   */
  public record Run(long seed, double trainSeconds, List<NerfDiffTrainer.Point> curve) {}

  @Override
  public String name() {
    return "nerfdiff";
  }

  @Override
  public String description() {
    return "NerfDiff: NeRF-only vs CDM samples vs naive distillation vs NGD from one view; PSNR/SSIM/sharpness,"
        + " 3D-consistency, guidance sweep";
  }

  @Override
  public void run(Context context) throws Exception {
    run(context.plan(Plan::quick, Plan::full, Plan::withSeeds), context.backend(), context.outDir(), context.log());
  }

  /** Runs {@code plan}, writing results and figures to {@code out}; returns the rows. */
  public static List<Row> run(Plan plan, OrtBackend backend, Path out, PrintStream log) throws IOException {
    Files.createDirectories(out);
    long t0 = System.nanoTime();
    MultiViewDataset data = MultiViewDataset.generate(plan.data());
    log.printf(Locale.ROOT, "nerfdiff: %d training scenes × %d views, %d test scenes%n", data.train().size(),
        plan.data().trainViews(), data.test().size());
    NerfDiffReport report = new NerfDiffReport(plan, data, out);
    List<Row> rows = new ArrayList<>();
    List<Run> runs = new ArrayList<>();
    for (int seed = 0; seed < plan.seeds(); seed++) {
      log.printf(Locale.ROOT, "nerfdiff: seed %d, training%n", seed);
      NerfDiff model = NerfDiff.initialize(plan.nerfdiff(), seed);
      long s0 = System.nanoTime();
      List<NerfDiffTrainer.Point> curve;
      try (MetricsLog metrics = new MetricsLog(out.resolve("metrics-seed-" + seed + ".jsonl"), 0)) {
        curve = NerfDiffTrainer.train(model, data.train(), backend, seed, plan.logEvery(), log, metrics);
      }
      runs.add(new Run(seed, (System.nanoTime() - s0) / 1e9, curve));
      try (NerfGuidedDistillation ngd = new NerfGuidedDistillation(model, MultiViewDataset.HELD_OUT_VIEWS, backend);
          TriplaneFit fresh = new TriplaneFit(model, plan.consistencyRays(), backend)) {
        for (SceneViews scene : data.test()) {
          rows.addAll(evaluate(plan, ngd, fresh, scene, seed, report, log));
          report.writeResults(runs, rows);
        }
      }
      // After every seed, so a study stopped early still leaves the tables of the seeds it finished.
      report.writeSummary(runs, rows);
    }
    log.printf(Locale.ROOT, "nerfdiff: done in %.0fs; results in %s%n", (System.nanoTime() - t0) / 1e9, out);
    return rows;
  }

  private static List<Row> evaluate(Plan plan, NerfGuidedDistillation ngd, TriplaneFit fresh, SceneViews scene,
      long seed, NerfDiffReport report, PrintStream log) throws IOException {
    View input = scene.inputs().get(0);
    List<View> truth = scene.heldOut();
    List<Camera> cameras = truth.stream().map(View::camera).toList();
    String category = scene.scene().category().id();
    long rseed = seed * 1000 + scene.index();
    NerfDiffConfig.Distillation d = plan.nerfdiff().distillation();
    List<Row> rows = new ArrayList<>();
    List<float[][]> sheet = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      NerfGuidedDistillation.Result r = ngd.run(input, cameras, mode, d, rseed);
      double gamma = mode == Mode.NGD ? d.guidance() : Double.NaN;
      rows.add(row(plan, fresh, seed, scene, category, mode.id(), gamma, r.views(), truth, r.seconds(), true,
          rseed));
      if (mode == Mode.NGD) {
        rows.add(row(plan, fresh, seed, scene, category, "ngd-views", gamma, r.refined(), truth, r.seconds(), true,
            rseed));
      }
      sheet.add(r.views());
    }
    for (double gamma : plan.guidanceSweep()) {
      NerfGuidedDistillation.Result r = ngd.run(input, cameras, Mode.NGD, d.withGuidance(gamma), rseed);
      rows.add(row(plan, fresh, seed, scene, category, "ngd", gamma, r.views(), truth, r.seconds(), false, rseed));
      rows.add(row(plan, fresh, seed, scene, category, "ngd-views", gamma, r.refined(), truth, r.seconds(), true,
          rseed));
    }
    for (Row r : rows) {
      log.printf(Locale.ROOT, "  scene %3d %-7s %-19s γ %-5s PSNR %6.2f  SSIM %.3f  sharp %.2f  3D %6.2f  %.1fs%n",
          r.scene(), r.category(), r.method(), Double.isNaN(r.guidance()) ? "-" : String.valueOf(r.guidance()),
          r.psnr(), r.ssim(), r.sharpness(), r.consistency(), r.seconds());
    }
    if (seed == 0) {
      report.keepTurntable(scene, input, sheet);
    }
    return rows;
  }

  private static Row row(Plan plan, TriplaneFit fresh, long seed, SceneViews scene, String category, String method,
      double gamma, float[][] images, List<View> truth, double seconds, boolean consistency, long rseed) {
    List<Camera> cameras = truth.stream().map(View::camera).toList();
    double c = consistency ? ViewSetScores.consistency(fresh, images, cameras, plan.consistencyFolds(),
        plan.consistencySteps(), plan.consistencyLr(), rseed) : Double.NaN;
    return new Row(seed, scene.index(), category, method, gamma, ViewSetScores.psnr(images, truth),
        ViewSetScores.ssim(images, truth), ViewSetScores.sharpness(images, truth), c, seconds);
  }
}
