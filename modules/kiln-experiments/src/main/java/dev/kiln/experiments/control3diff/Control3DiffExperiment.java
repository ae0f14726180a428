package dev.kiln.experiments.control3diff;

import dev.kiln.diffusion.metrics.FrechetDistance;
import dev.kiln.nerf.control3diff.Control3Diff;
import dev.kiln.nerf.control3diff.Control3DiffTraining;
import dev.kiln.nerf.control3diff.ControlScores;
import dev.kiln.nerf.control3diff.ControlSignal;
import dev.kiln.nerf.control3diff.ControlledSampler;
import dev.kiln.nerf.control3diff.GanConfig;
import dev.kiln.nerf.control3diff.GanSamples;
import dev.kiln.nerf.control3diff.GanTrainer;
import dev.kiln.nerf.control3diff.LatentPrior;
import dev.kiln.nerf.control3diff.PriorConfig;
import dev.kiln.nerf.control3diff.TriplaneGan;
import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.render.Camera;
import dev.kiln.nerf.render.ImageQuality;
import dev.kiln.nerf.scenes.Category;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.nerf.scenes.View;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.spi.Experiment;
import dev.kiln.train.MetricsLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Control3Diff study (arXiv 2304.06700) at CPU scale: train the triplane GAN on one view per
 * procedural toy car (no multi-view supervision); score its single-view renders against held-out
 * views (a Fréchet distance on pooled pixels); train the unconditional prior and one conditional
 * prior per control (image, edges, segmentation) on GAN samples only; then, for unseen test scenes
 * whose input view gives the control, compare conditioning, guidance and guidance + Langevin (and,
 * as the baseline, unconditional samples that never see the control) on
 * fidelity at the input view, novel-view PSNR/SSIM against the scene (image control), diversity over
 * 4 samples and sampling time, for several seeds. Writes {@code results.json}, {@code summary.md},
 * metrics logs, PNG figures and the trained model ({@code model/}) to the output folder. Report:
 * {@code docs/reproductions/control3diff.md}.
 */
public final class Control3DiffExperiment implements Experiment {

  /** Samples drawn per control. */
  public static final int SAMPLES = 4;

  /** The baseline row: unconditional prior samples scored against the control they never saw. */
  public static final String UNCONDITIONAL = "unconditional";

  /**
   * What one study runs.
   *
   * @param data dataset: training scenes with one view each, test scenes with input and ring views
   * @param gan GAN settings
   * @param prior diffusion settings (every prior)
   * @param sampler sampling settings
   * @param guidanceScales λ values tried on validation scenes before the comparison (image control)
   * @param evalScenes test scenes evaluated per control and route
   * @param validationScenes test scenes (after the evaluated ones) used to pick λ
   * @param seeds seeds (prior training and sampling; one GAN)
   * @param fidStyles GAN styles rendered at the ring views for the Fréchet distance
   * @param logEvery steps between logged points
   */
  public record Plan(MultiViewDataset.Config data, GanConfig gan, PriorConfig prior, ControlledSampler.Settings sampler,
      double[] guidanceScales, int evalScenes, int validationScenes, int seeds, int fidStyles, int logEvery) {

    /**
     * The study as reported, about 15 minutes on two shared CPU cores: 384 toy cars × 1
     * view and 32 test scenes at 16×16; the GAN for 450 steps of 12; each prior (control encoder 8
     * channels wide) 400 steps of 64 from 4,096 GAN samples; 20 DDIM steps; 5 evaluated scenes × 4
     * samples × 3 seeds.
     */
    public static Plan full() {
      MultiViewDataset.Config data = new MultiViewDataset.Config(List.of(Category.TOYCAR), 384, 32, 1, 16, null, null,
          2, null);
      GanConfig gan = new GanConfig(null, null, null, null, null, null, 10, null, null, null, null, null, null, 12, 450);
      PriorConfig prior = new PriorConfig(null, null, null, 8, null, null, null, null, null, null, 400, null);
      return new Plan(data, gan, prior, ControlledSampler.Settings.defaults().withSteps(20),
          new double[] {200, 800, 3200}, 5, 2, 3, 32, 10);
    }

    /** A few steps of everything on a tiny set: checks the study runs end to end. */
    public static Plan quick() {
      MultiViewDataset.Config data = new MultiViewDataset.Config(List.of(Category.TOYCAR), 8, 4, 1, 8, null, null, 1,
          null);
      GanConfig gan = new GanConfig(8, 8, 16, 8, new TriplaneField.Config(2, 8, 8, null), 8, 6, 4, null, null, null,
          null, null, 2, 3);
      PriorConfig prior = new PriorConfig(16, 1, 8, 2, 100, null, null, null, null, 4, 3, 16);
      return new Plan(data, gan, prior, ControlledSampler.Settings.defaults().withSteps(3), new double[] {800}, 1, 1,
          1, 2, 1);
    }

    public Plan withSeeds(int n) {
      return new Plan(data, gan, prior, sampler, guidanceScales, evalScenes, validationScenes, n, fidStyles, logEvery);
    }
  }

  /** The scores of one seed. */
  public record SeedRun(long seed, Map<String, Map<String, ControlScores>> byControlAndRoute,
      Map<String, List<LatentPrior.Point>> priorCurves) {}

  /**
   * The GAN's evaluation.
   *
   * @param fid Fréchet distance of pooled-pixel features, trained GAN vs held-out views
   * @param fidUntrained the same for the GAN before training
   * @param fidRealHalves the same between two halves of the held-out views (the floor)
   * @param seconds GAN training wall time
   */
  public record GanScores(double fid, double fidUntrained, double fidRealHalves, double seconds) {}

  @Override
  public String name() {
    return "control3diff";
  }

  @Override
  public String description() {
    return "Control3Diff: triplane GAN on single views; conditioning vs guidance (+Langevin) for image, edge and "
        + "segmentation control";
  }

  @Override
  public void run(Context context) throws Exception {
    run(context.plan(Plan::quick, Plan::full, Plan::withSeeds), context.backend(), context.outDir(), context.log());
  }

  /** Runs {@code plan}, writing results, figures and the model to {@code out}. */
  public static void run(Plan plan, OrtBackend backend, Path out, PrintStream log) throws IOException {
    Files.createDirectories(out);
    long t0 = System.nanoTime();
    MultiViewDataset data = MultiViewDataset.generate(plan.data());
    List<View> views = data.train().stream().map(s -> s.inputs().get(0)).toList();
    List<Camera> poses = views.stream().map(View::camera).toList();
    log.printf(Locale.ROOT, "control3diff: %d training scenes × 1 view, %d test scenes%n", views.size(),
        data.test().size());
    Control3DiffReport report = new Control3DiffReport(plan, data, out);

    TriplaneGan untrained = TriplaneGan.initialize(plan.gan(), 0);
    double fidUntrained = fid(untrained, data.test(), plan.fidStyles(), backend);
    TriplaneGan gan = TriplaneGan.initialize(plan.gan(), 0);
    long g0 = System.nanoTime();
    List<GanTrainer.Point> ganCurve;
    try (MetricsLog metrics = new MetricsLog(out.resolve("gan-metrics.jsonl"), -1)) {
      ganCurve = GanTrainer.train(gan, views, backend, 0, plan.logEvery(), metrics, log);
    }
    double ganSeconds = (System.nanoTime() - g0) / 1e9;
    GanScores ganScores = new GanScores(fid(gan, data.test(), plan.fidStyles(), backend), fidUntrained,
        realHalves(data.test()), ganSeconds);
    log.printf(Locale.ROOT, "  GAN trained in %.0fs; Fréchet distance %.4f (untrained %.4f, real halves %.4f)%n",
        ganSeconds, ganScores.fid(), ganScores.fidUntrained(), ganScores.fidRealHalves());
    report.writeGan(gan, untrained, views, ganCurve, backend);

    GanSamples pool = GanSamples.draw(gan, plan.prior().pool(), poses, backend, 0);
    List<SceneViews> eval = data.test().subList(0, plan.evalScenes());
    List<SceneViews> validation = data.test().subList(plan.evalScenes(),
        Math.min(data.test().size(), plan.evalScenes() + plan.validationScenes()));
    List<SeedRun> runs = new ArrayList<>();
    double lambda = Double.NaN;
    Map<Double, Double> sweep = new LinkedHashMap<>();
    for (int seed = 0; seed < plan.seeds(); seed++) {
      Map<String, List<LatentPrior.Point>> curves = new LinkedHashMap<>();
      Control3Diff model = Control3DiffTraining.priors(plan.prior(), List.of(ControlSignal.values()), gan, pool, seed,
          backend, out, "-seed" + seed, plan.logEvery(), log, curves);
      if (seed == 0) {
        for (double l : plan.guidanceScales()) {
          ControlScores s = evaluate(model, ControlledSampler.Route.GUIDANCE, ControlSignal.IMAGE, validation,
              plan.sampler().withGuidanceScale(l), 1000 + seed, backend);
          sweep.put(l, s.fidelity());
          log.printf(Locale.ROOT, "  λ = %.0f: validation input-view PSNR %.2f dB%n", l, s.fidelity());
        }
        lambda = sweep.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        model.save(out.resolve("model"));
      }
      ControlledSampler.Settings settings = plan.sampler().withGuidanceScale(lambda);
      Map<String, Map<String, ControlScores>> scores = new LinkedHashMap<>();
      for (ControlSignal c : ControlSignal.values()) {
        Map<String, ControlScores> byRoute = new LinkedHashMap<>();
        // The baseline: the unconditional prior's samples, with no control and no guidance.
        byRoute.put(UNCONDITIONAL, evaluate(model, ControlledSampler.Route.GUIDANCE, c, eval,
            settings.withGuidanceScale(0), seed, backend));
        for (ControlledSampler.Route r : ControlledSampler.Route.values()) {
          ControlScores s = evaluate(model, r, c, eval, settings, seed, backend);
          byRoute.put(r.id(), s);
          log.printf(Locale.ROOT, "  seed %d %-12s %-17s fidelity %.3f  novel %.2f dB / %.3f  diversity %.4f  %.1fs%n",
              seed, c.id(), r.id(), s.fidelity(), s.novelPsnr(), s.novelSsim(), s.diversity(), s.seconds());
        }
        scores.put(c.id(), byRoute);
        if (seed == 0) {
          report.writeControlFigure(model, c, eval.get(0), settings, backend);
        }
      }
      runs.add(new SeedRun(seed, scores, curves));
      report.writeResults(ganScores, ganCurve, sweep, lambda, runs);
    }
    report.writeSummary(ganScores, sweep, lambda, runs);
    log.printf(Locale.ROOT, "control3diff: done in %.0fs; results in %s%n", (System.nanoTime() - t0) / 1e9, out);
  }

  /** Scores one route and control over {@code scenes}, each controlled by its first input view. */
  static ControlScores evaluate(Control3Diff model, ControlledSampler.Route route, ControlSignal control,
      List<SceneViews> scenes, ControlledSampler.Settings settings, long seed, OrtBackend backend) {
    return ControlScores.of(model, route, control, scenes, settings, SAMPLES, seed, backend);
  }

  /** Fréchet distance between the GAN's renders at the test ring cameras and the test scenes' ring views. */
  static double fid(TriplaneGan gan, List<SceneViews> test, int styles, OrtBackend backend) {
    List<Camera> ring = test.get(0).heldOut().stream().map(View::camera).toList();
    List<float[]> ws = gan.sampleStyles(styles, Seeds.rng(77, "fid-styles"), backend);
    List<float[]> w = new ArrayList<>();
    List<Camera> cams = new ArrayList<>();
    for (float[] s : ws) {
      for (Camera c : ring) {
        w.add(s);
        cams.add(c);
      }
    }
    List<float[]> fake = new ArrayList<>();
    for (int start = 0; start < w.size(); start += 64) {
      int end = Math.min(w.size(), start + 64);
      fake.addAll(gan.render(w.subList(start, end), cams.subList(start, end), backend));
    }
    List<float[]> real = new ArrayList<>();
    test.forEach(s -> s.heldOut().forEach(v -> real.add(v.rgb())));
    return FrechetDistance.between(features(fake, gan.config().imageSize()), features(real, gan.config().imageSize()));
  }

  /** The same distance between the ring views of the first and the second half of the test scenes. */
  static double realHalves(List<SceneViews> test) {
    List<float[]> a = new ArrayList<>();
    List<float[]> b = new ArrayList<>();
    for (int i = 0; i < test.size(); i++) {
      List<float[]> into = i < test.size() / 2 ? a : b;
      test.get(i).heldOut().forEach(v -> into.add(v.rgb()));
    }
    int side = test.get(0).heldOut().get(0).width();
    return FrechetDistance.between(features(a, side), features(b, side));
  }

  /** 4×4 average-pooled RGB, 48 features per image [3, side, side]. */
  static double[][] features(List<float[]> images, int side) {
    int cell = side / 4;
    double[][] f = new double[images.size()][48];
    for (int n = 0; n < images.size(); n++) {
      float[] img = images.get(n);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            f[n][c * 16 + (y / cell) * 4 + x / cell] += img[c * side * side + y * side + x] / (cell * cell);
          }
        }
      }
    }
    return f;
  }
}
