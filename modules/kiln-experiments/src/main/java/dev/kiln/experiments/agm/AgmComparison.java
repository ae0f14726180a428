package dev.kiln.experiments.agm;

import dev.kiln.diffusion.agm.AgmSamplerConfig;
import dev.kiln.diffusion.agm.EulerMaruyamaProvider;
import dev.kiln.diffusion.agm.GddimProvider;
import dev.kiln.diffusion.agm.SscsProvider;
import dev.kiln.spi.process.GaussianMixtureOracle;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.samplers.DdimSampler;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Denoiser;
import dev.kiln.spi.Experiment;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.Providers;
import dev.kiln.spi.SamplerProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One data set of the {@code agm} experiment: trains the models ({@link ComparisonTraining}), picks
 * t_hop per NFE on a selection seed, scores AGM + gDDIM (+ hop), DDIM and DPM-Solver++ 2M over the
 * evaluation seeds with {@link SampleQuality}, scores the SDE samplers when there is an SDE model,
 * and records the early predictions along one trajectory. t_hop is chosen on noise and reference
 * seeds that the reported scores do not use. On 8 Gaussians the same samplers are also driven by
 * the ideal models ({@link GaussianMixtureOracle}), which isolates the samplers' own error, and a
 * second draw of held-out data is scored like a sampler to show the metric's floor.
 */
final class AgmComparison {

  static final String AGM_HOP = "agm-gddim-hop";
  static final String AGM_FULL = "agm-gddim";
  static final String DDIM = "ddim";
  static final String DPM = "dpmpp-2m";
  static final String DATA = "data";
  /** Prefix of the rows driven by the ideal models ({@link GaussianMixtureOracle}). */
  static final String IDEAL = "ideal:";
  static final List<Integer> SDE_NFES = List.of(10, 20, 50, 200);

  private static final long SELECT_NOISE = 500;
  private static final long SELECT_REFERENCE = 50;
  private static final long EVAL_NOISE = 1000;
  private static final long EVAL_REFERENCE = 77;

  private final ComparisonSettings s;
  private final Experiment.Context ctx;
  private final Path dir;

  /**
   * Everything measured, for the report.
   *
   * @param hopSweep per model source ("" trained, {@link #IDEAL}), NFE and t_hop: the selection score
   * @param bestHop per model source and NFE
   * @param rows per method (prefixed by the source): one cell per NFE
   */
  record Result(ComparisonSettings settings, ObjectNode training, Map<String, Map<Integer, Map<Double, Double>>> hopSweep,
      Map<String, Map<Integer, Double>> bestHop, Map<String, List<Cell>> rows, List<double[]> agmEarly,
      List<double[]> ddimEarly, Map<String, Tensor> shown, Tensor reference, Tensor earlyStrips) {}

  /** The models one set of rows is drawn from. */
  private record Source(String prefix, Denoiser agm, Denoiser eps) {}

  AgmComparison(ComparisonSettings s, Experiment.Context ctx) {
    this.s = s;
    this.ctx = ctx;
    this.dir = ctx.outDir().resolve(s.key());
  }

  Result run() throws Exception {
    Files.createDirectories(dir);
    ComparisonTraining.Models models = new ComparisonTraining(s, ctx.backend(), ctx.log()).train(dir);
    DiffusionTask data = new DiffusionTask(new DiffusionTaskConfig(s.data(), s.batch(), null, false, null));
    Map<String, SamplerProvider<?>> diffusion = Providers.load(SamplerProvider.class);
    ObjectNode trailing = Configs.mapper().createObjectNode().put("timestep_spacing", "trailing");
    try (GenerativeModel agm = GenerativeModel.load(models.agm(), ctx.backend());
        GenerativeModel eps = GenerativeModel.load(models.eps(), ctx.backend());
        SampleQuality quality = new SampleQuality(data, ctx.backend());
        QuickScore quick = new QuickScore(data, ctx.backend())) {
      Sampler ddim = eps.sampler(Providers.named(diffusion, DDIM, "sampler"), trailing, DDIM);
      Sampler dpm = eps.sampler(Providers.named(diffusion, DPM, "sampler"), trailing, DPM);
      Map<String, Tensor> shown = new LinkedHashMap<>();
      Map<String, Map<Integer, Map<Double, Double>>> sweeps = new LinkedHashMap<>();
      Map<String, Map<Integer, Double>> best = new LinkedHashMap<>();
      Map<String, List<Cell>> rows = new LinkedHashMap<>();
      List<Source> sources = new ArrayList<>(List.of(new Source("", agm.denoiser(), eps.denoiser(null, 1))));
      if (s.data().equals("8gaussians")) {
        GaussianMixtureOracle oracle = GaussianMixtureOracle.eightGaussians();
        sources.add(new Source(IDEAL, oracle.agm(AgmSamplerConfig.of(agm).process()), oracle.epsilon(((DdimSampler) ddim).schedule())));
      }
      for (Source src : sources) {
        Map<Integer, Map<Double, Double>> sweep = new LinkedHashMap<>();
        Map<Integer, Double> bestHop = new LinkedHashMap<>();
        for (int nfe : s.nfes()) {
          Map<Double, Double> byHop = new LinkedHashMap<>();
          for (double hop : s.hops()) {
            Tensor x = agm.sample(gddim(agm, hop), src.agm(), s.samples(), nfe, SELECT_NOISE);
            byHop.put(hop, quick.score(x, SELECT_REFERENCE));
          }
          sweep.put(nfe, byHop);
          bestHop.put(nfe, byHop.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey());
          ctx.log().printf(Locale.ROOT, "%s %sNFE %d: t_hop sweep %s -> best %.3f%n", s.key(), src.prefix(), nfe,
              byHop, bestHop.get(nfe));
        }
        sweeps.put(src.prefix(), sweep);
        best.put(src.prefix(), bestHop);
        for (String method : List.of(AGM_HOP, AGM_FULL, DDIM, DPM)) {
          List<Cell> cells = new ArrayList<>();
          for (int nfe : s.nfes()) {
            IntFunction<Tensor> draw;
            if (method.equals(AGM_HOP) || method.equals(AGM_FULL)) {
              Sampler sampler = gddim(agm, method.equals(AGM_HOP) ? bestHop.get(nfe) : 0.999);
              draw = i -> agm.sample(sampler, src.agm(), s.samples(), nfe, EVAL_NOISE + i);
            } else {
              Sampler sampler = method.equals(DDIM) ? ddim : dpm;
              draw = i -> eps.sample(sampler, src.eps(), s.samples(), nfe, EVAL_NOISE + i);
            }
            cells.add(score(src.prefix() + method, nfe, draw, quality, shown));
          }
          rows.put(src.prefix() + method, cells);
        }
      }
      // held-out data scored like a sampler: the metric's floor at this sample count
      Cell floor = score(DATA, 0, i -> data.referenceSamples(EVAL_NOISE + i, s.samples(), false), quality, shown);
      rows.put(DATA, s.nfes().stream().map(n -> new Cell(n, floor.runs())).toList());
      if (models.agmSde() != null) {
        scoreSde(models.agmSde(), quality, rows, shown);
      }
      EarlyPrediction agmEarly = new EarlyPrediction();
      agm.sample(gddim(agm, 0.999), agmEarly.recording(agm.denoiser(), AgmSamplerConfig.of(agm).process()), s.samples(), s.earlyNfe(),
          EVAL_NOISE);
      EarlyPrediction ddimEarly = new EarlyPrediction();
      eps.sample(ddim, ddimEarly.recording(eps.denoiser(null, 1), ((DdimSampler) ddim).schedule()), s.samples(),
          s.earlyNfe(), EVAL_NOISE);
      return new Result(s, models.report(), sweeps, best, rows, curve(agmEarly, quick), curve(ddimEarly, quick),
          shown, data.referenceSamples(EVAL_REFERENCE, s.samples(), true),
          s.images() ? strips(agmEarly, ddimEarly) : null);
    }
  }

  private static Sampler gddim(GenerativeModel agm, double hop) {
    return agm.sampler(new GddimProvider(), Configs.mapper().createObjectNode().put("t_hop", hop)
        .put("gddim_order", 2), "agm-gddim");
  }

  private Cell score(String method, int nfe, IntFunction<Tensor> draw, SampleQuality quality,
      Map<String, Tensor> shown) {
    List<Map<String, Double>> runs = new ArrayList<>();
    for (int i = 0; i < s.seeds(); i++) {
      Tensor x = draw.apply(i);
      if (i == 0) {
        shown.put(method + "@" + nfe, x);
      }
      runs.add(quality.measure(x, null, EVAL_REFERENCE + i));
    }
    Cell c = new Cell(nfe, runs);
    ctx.log().printf(Locale.ROOT, "%s %s NFE %d: %s %.4f ± %.4f%n", s.key(), method, nfe, s.metric(),
        c.mean(s.metric()), c.std(s.metric()));
    return c;
  }

  private void scoreSde(Path model, SampleQuality quality, Map<String, List<Cell>> rows, Map<String, Tensor> shown)
      throws Exception {
    List<Integer> nfes = ctx.quick() ? List.of(10) : SDE_NFES;
    try (GenerativeModel sde = GenerativeModel.load(model, ctx.backend())) {
      for (String name : List.of("agm-sscs", "agm-em")) {
        Sampler sampler = sde.sampler(name.equals("agm-sscs") ? new SscsProvider()
            : new EulerMaruyamaProvider(), Configs.mapper().createObjectNode(), name);
        List<Cell> cells = new ArrayList<>();
        for (int nfe : nfes) {
          cells.add(score(name, nfe, i -> sde.sample(sampler, sde.denoiser(), s.samples(), nfe, EVAL_NOISE + i),
              quality, shown));
        }
        rows.put(name, cells);
      }
    }
  }

  /** (progress, metric) along the recorded trajectory. */
  private List<double[]> curve(EarlyPrediction early, QuickScore quick) {
    List<double[]> c = new ArrayList<>();
    for (EarlyPrediction.Point p : early.points()) {
      c.add(new double[] {p.progress(), quick.score(p.prediction(), EVAL_REFERENCE)});
    }
    return c;
  }

  /**
   * Digits only: the first 6 samples' predictions at 8 points of the trajectory, AGM rows then DDIM
   * rows, as one image batch [96, 1, 28, 28] (8 columns).
   */
  private static Tensor strips(EarlyPrediction agm, EarlyPrediction ddim) {
    int rows = 6;
    int cols = 8;
    int px = 784;
    float[] out = new float[2 * rows * cols * px];
    List<List<EarlyPrediction.Point>> both = List.of(agm.points(), ddim.points());
    for (int m = 0; m < 2; m++) {
      List<EarlyPrediction.Point> pts = both.get(m);
      for (int c = 0; c < cols; c++) {
        EarlyPrediction.Point p = pts.get((int) Math.round((double) c * (pts.size() - 1) / (cols - 1)));
        float[] pred = p.prediction().toFloatArray();
        for (int r = 0; r < rows; r++) {
          System.arraycopy(pred, r * px, out, ((m * rows + r) * cols + c) * px, px);
        }
      }
    }
    return Tensor.of(out, 2L * rows * cols, 1, 28, 28);
  }
}
