package dev.kiln.experiments.ssdnerf;

import dev.kiln.nerf.field.TriplaneField;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.nerf.ssd.GuidedReconstruction;
import dev.kiln.nerf.ssd.HeldOutEvaluation;
import dev.kiln.nerf.ssd.SsdNerf;
import dev.kiln.nerf.ssd.SsdNerfConfig;
import dev.kiln.nerf.ssd.SsdTrainer;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Experiment;
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
 * The SSDNeRF study (arXiv 2304.06714, the single-stage vs two-stage claim of Tab. 3 and Fig. 6) at
 * CPU scale: on the procedural cars-and-chairs set, train SSDNeRF single-stage (Eq. 4, Algorithm 1)
 * and the two-stage baseline at equal compute, for several seeds; choose each model's guidance scale
 * λ_gd on validation scenes (disjoint from the test scenes); reconstruct unseen test scenes
 * from 1 and from 3 views by rendering-guided DDIM plus a finetune under the prior (Eq. 5–7); score
 * PSNR and SSIM on 8 held-out views per scene, before (guided sampling only) and after the finetune;
 * draw unconditional samples. Writes {@code results.json}, {@code summary.md} and PNG figures to the
 * output folder. A run already in that folder's {@code results.json} (same data and model settings) is
 * read, not trained again: a stopped study resumes, and {@code --seeds 3} adds seeds 1 and 2 to an earlier
 * {@code --seeds 1}. Report: {@code docs/reproductions/ssdnerf.md}.
 */
public final class SsdNerfExperiment implements Experiment {

  /** Input-view counts reconstructed from. */
  public static final int[] VIEWS = {1, 3};

  /**
   * What one study runs.
   *
   * @param data the dataset
   * @param ssdnerf SSDNeRF settings (shared by both schedules); its guidance scale is replaced by the one
   *     chosen on the validation scenes
   * @param seeds seeds per schedule
   * @param unconditionalSamples unconditional samples drawn (first seed, single-stage)
   * @param logEvery iterations between logged training points
   * @param validationScenes scenes after the test split ({@link MultiViewDataset#validation}) on which λ_gd
   *     is chosen
   * @param guidanceScales the λ_gd tried on them; each model takes the one with the best 1-view PSNR after
   *     guided sampling alone
   */
  public record Plan(MultiViewDataset.Config data, SsdNerfConfig ssdnerf, int seeds, int unconditionalSamples,
      int logEvery, int validationScenes, List<Double> guidanceScales) {

    public Plan {
      guidanceScales = List.copyOf(guidanceScales);
      if (validationScenes < 1 || guidanceScales.isEmpty()) {
        throw new IllegalArgumentException("plan: needs validation scenes and guidance scales to choose from, got "
            + validationScenes + " and " + guidanceScales);
      }
    }

    /**
     * The study as reported, sized for about 40 minutes on two shared CPU cores (see the report):
     * 48 training scenes × 16 views, 12 test and 6 validation scenes at 32×32; 600 outer iterations of
     * 8 scenes × 256 rays (K_in 4 for 100 iterations, then 2), one prior step each; the normaliser's and
     * the mean code's EMAs and the prior's learning rate sped up for the short run; λ_gd chosen from
     * {10³, 3·10³, 10⁴, 3·10⁴, 10⁵} on the validation scenes; 20 guided DDIM steps and a 6 × 4 finetune at
     * test time.
     */
    public static Plan full() {
      return ofLength(600, 100);
    }

    /**
     * The plan the render-to-prior balance sweep ({@code ssdnerf-loss-balance}) ran: the study's data and
     * settings with 250 outer iterations (K_in 4 for 50) and λ_gd fixed at 10⁴.
     */
    public static Plan balance() {
      return ofLength(250, 50);
    }

    /**
     * The same study at the length of the research notes' SSD-tiny schedule: 1500 outer iterations, K_in 4
     * for the first 300 (about 12 minutes of training per run on two CPU cores).
     */
    public static Plan longer() {
      return ofLength(1500, 300);
    }

    private static Plan ofLength(int iterations, int warmup) {
      MultiViewDataset.Config data = new MultiViewDataset.Config(null, 48, 12, 16, 32, null, null, 2, null);
      SsdNerfConfig.Model model = new SsdNerfConfig.Model(null, null, null, null, null, null, null, null, null, null,
          null, null, null, 1e-2);
      SsdNerfConfig.Training training = new SsdNerfConfig.Training(iterations, 8, 256, 4, 2, warmup, null, null, 1e-3,
          0.995, null, null, 1, 1e-2);
      SsdNerfConfig.Reconstruction recon = new SsdNerfConfig.Reconstruction(20, 1e4, 256, 6, 4, null, null, null,
          256);
      return new Plan(data, new SsdNerfConfig(model, training, recon), 3, 6, 25, 6,
          List.of(1e3, 3e3, 1e4, 3e4, 1e5));
    }

    /** A few steps of everything on a tiny set: checks the study runs end to end. */
    public static Plan quick() {
      MultiViewDataset.Config data = new MultiViewDataset.Config(null, 6, 2, 3, 12, null, null, 1, null);
      SsdNerfConfig.Model model = new SsdNerfConfig.Model(new TriplaneField.Config(2, 8, 8, null), 6, null, 8,
          List.of(1, 2), 4, 100, null, null, null, null, null, null, null);
      SsdNerfConfig.Training training = new SsdNerfConfig.Training(3, 3, 16, 2, 1, 1, null, null, null, null, null,
          null, 2, null);
      SsdNerfConfig.Reconstruction recon = new SsdNerfConfig.Reconstruction(3, null, 16, 1, 2, null, null, null, 16);
      return new Plan(data, new SsdNerfConfig(model, training, recon), 1, 2, 1, 2, List.of(300.0, 3000.0));
    }

    public Plan withSeeds(int n) {
      return new Plan(data, ssdnerf, n, unconditionalSamples, logEvery, validationScenes, guidanceScales);
    }
  }

  /**
   * Held-out quality of one reconstruction setting.
   *
   * @param guidedPsnr PSNR after guided sampling alone (no finetune)
   * @param guidedSsim SSIM after guided sampling alone
   * @param psnr PSNR after the finetune
   * @param ssim SSIM after the finetune
   * @param seconds wall time of reconstruction
   */
  public record Scores(double guidedPsnr, double guidedSsim, double psnr, double ssim, double seconds) {}

  /**
   * One trained model and its evaluation.
   *
   * @param schedule single-stage or two-stage
   * @param seed training seed
   * @param trainSeconds wall time of training
   * @param trainFitPsnr PSNR of the training scenes' own codes on one of their training views
   * @param curve logged training points
   * @param validation 1-view PSNR after guided sampling alone on the validation scenes, by λ_gd tried
   * @param guidanceScale the λ_gd chosen on them, used on the test scenes
   * @param scores by number of input views
   */
  public record Run(String schedule, long seed, double trainSeconds, double trainFitPsnr,
      List<SsdTrainer.Point> curve, Map<Double, Double> validation, double guidanceScale, Map<Integer, Scores> scores) {}

  @Override
  public String name() {
    return "ssdnerf";
  }

  @Override
  public String description() {
    return "SSDNeRF single-stage vs two-stage: 1-/3-view reconstruction PSNR/SSIM on unseen scenes, unconditional samples";
  }

  @Override
  public void run(Context context) throws Exception {
    run(context.plan(Plan::quick, Plan::full, Plan::withSeeds), context.backend(), context.outDir(), context.log());
  }

  /** Runs {@code plan}, writing results and figures to {@code out}; returns the runs. */
  public static List<Run> run(Plan plan, OrtBackend backend, Path out, PrintStream log) throws IOException {
    Files.createDirectories(out);
    long t0 = System.nanoTime();
    MultiViewDataset data = MultiViewDataset.generate(plan.data());
    List<SceneViews> validation = MultiViewDataset.validation(plan.data(), plan.validationScenes());
    log.printf(Locale.ROOT, "ssdnerf: %d training scenes × %d views, %d test and %d validation scenes (%.1fs)%n",
        data.train().size(), plan.data().trainViews(), data.test().size(), validation.size(),
        (System.nanoTime() - t0) / 1e9);
    SsdNerfReport report = new SsdNerfReport(plan, data, out);
    List<Run> earlier = report.earlierRuns();
    List<Run> runs = new ArrayList<>();
    for (int seed = 0; seed < plan.seeds(); seed++) {
      for (SsdTrainer.Schedule schedule : SsdTrainer.Schedule.values()) {
        long s = seed;
        Run done = earlier.stream().filter(r -> r.seed() == s && r.schedule().equals(schedule.id())).findFirst()
            .orElse(null);
        if (done != null) {
          log.printf(Locale.ROOT, "ssdnerf: %s, seed %d: finished earlier (results.json)%n", schedule.id(), seed);
        }
        runs.add(done != null ? done : trainAndEvaluate(plan, data, validation, schedule, seed, backend, report, log));
        // After every run, so a study stopped early leaves the tables and figures of the runs it finished.
        report.writeResults(runs);
        report.writeSummary(runs);
      }
    }
    log.printf(Locale.ROOT, "ssdnerf: done in %.0fs; results in %s%n", (System.nanoTime() - t0) / 1e9, out);
    return runs;
  }

  /**
   * Tries each of {@code scales} as λ_gd on {@code validation} (1 input view, guided sampling alone, the
   * reconstruction seed of the test scenes' 1-view run) and returns the 1-view PSNR by scale.
   */
  static Map<Double, Double> validate(SsdNerf model, List<SceneViews> validation, List<Double> scales, long seed,
      OrtBackend backend) {
    Map<Double, Double> psnr = new LinkedHashMap<>();
    for (double scale : scales) {
      SsdNerf m = model.withReconstruction(model.config().reconstruction().withGuidanceScale(scale).guidedOnly());
      GuidedReconstruction.Result r = GuidedReconstruction.reconstruct(m, validation, 1, backend, seed * 1000 + 1);
      psnr.put(scale, HeldOutEvaluation.of(m, r.guided(), validation, backend).psnr());
    }
    return psnr;
  }

  /** The scale with the highest PSNR (the smaller of two equal ones). */
  static double best(Map<Double, Double> psnr) {
    return psnr.entrySet().stream().reduce((a, b) -> b.getValue() > a.getValue() ? b : a).orElseThrow().getKey();
  }

  private static Run trainAndEvaluate(Plan plan, MultiViewDataset data, List<SceneViews> validation,
      SsdTrainer.Schedule schedule, long seed, OrtBackend backend, SsdNerfReport report, PrintStream log)
      throws IOException {
    log.printf(Locale.ROOT, "ssdnerf: %s, seed %d%n", schedule.id(), seed);
    SsdNerf trained = SsdNerf.initialize(plan.ssdnerf(), seed);
    long t0 = System.nanoTime();
    List<SsdTrainer.Point> curve = SsdTrainer.train(trained, schedule, data.train(), backend, seed, plan.logEvery(), log);
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    double fit = HeldOutEvaluation.of(trained, trained.trainedTriplanes(), data.train(),
        s -> s.inputs().subList(0, 1), backend).psnr();
    log.printf(Locale.ROOT, "  trained in %.0fs; training-view PSNR of the fitted codes %.2f dB%n", trainSeconds, fit);
    Map<Double, Double> tried = validate(trained, validation, plan.guidanceScales(), seed, backend);
    double scale = best(tried);
    SsdNerf model = trained.withReconstruction(trained.config().reconstruction().withGuidanceScale(scale));
    log.printf(Locale.ROOT, "  validation 1-view PSNR, guided only, by λ_gd: %s; chosen %s%n", tried, scale);
    Map<Integer, Scores> scores = new LinkedHashMap<>();
    for (int views : VIEWS) {
      long r0 = System.nanoTime();
      GuidedReconstruction.Result rec = GuidedReconstruction.reconstruct(model, data.test(), views, backend,
          seed * 1000 + views);
      double seconds = (System.nanoTime() - r0) / 1e9;
      HeldOutEvaluation guided = HeldOutEvaluation.of(model, rec.guided(), data.test(), backend);
      HeldOutEvaluation tuned = HeldOutEvaluation.of(model, rec.finetuned(), data.test(), backend);
      Scores s = new Scores(guided.psnr(), guided.ssim(), tuned.psnr(), tuned.ssim(), seconds);
      scores.put(views, s);
      log.printf(Locale.ROOT, "  %d-view: guided %.2f dB / %.3f, finetuned %.2f dB / %.3f (%.0fs)%n", views,
          s.guidedPsnr(), s.guidedSsim(), s.psnr(), s.ssim(), seconds);
      if (seed == 0) {
        report.keepReconstruction(schedule, views, tuned);
      }
    }
    if (seed == 0) {
      report.keepTrainingFit(schedule, model, backend);
      if (schedule == SsdTrainer.Schedule.SINGLE_STAGE) {
        report.writeUnconditional(model, GuidedReconstruction.sample(model, plan.unconditionalSamples(), backend,
            seed), backend);
      }
    }
    return new Run(schedule.id(), seed, trainSeconds, fit, curve, tried, scale, scores);
  }
}
