package dev.kiln.experiments.dpf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.diffusion.arch.UNetProvider;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.diffusion.fields.FieldMetrics;
import dev.kiln.diffusion.fields.FieldTask;
import dev.kiln.diffusion.fields.FieldTaskProvider;
import dev.kiln.diffusion.fields.OccupancyMesh;
import dev.kiln.diffusion.fields.PerceiverIoProvider;
import dev.kiln.diffusion.samplers.DdimProvider;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.diffusion.task.DiffusionTaskProvider;
import dev.kiln.graph.DType;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.inference.Domain;
import dev.kiln.inference.FieldQuery;
import dev.kiln.inference.FieldRenders;
import dev.kiln.inference.ForwardSession;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import dev.kiln.spi.Sampler;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import dev.kiln.viz.ImageGrid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code kiln experiment dpf}: the must-show study of DPF (arXiv 2303.00165), report
 * {@code docs/reproductions/dpf.md}. Trains the zoo's three recipes ({@code model-zoo/dpf-mnist},
 * {@code dpf-shapes}, {@code dpf-sphere}) and measures, per seed:
 *
 * <ul>
 *   <li>MNIST: FD and k-NN precision/recall on the zoo classifier's features against held-out digits,
 *       for DPF and for the grid UNet (ε-prediction, same schedule, steps and batch) whose base width
 *       gives the parameter count nearest DPF's;
 *   <li>the context-size ablation: FD of models trained with |C| = 64, 128, 256, 784;
 *   <li>resolution-free sampling: DPF sampled at 56² and 112², against the bilinear upsampling of its
 *       28² samples (FD after area-averaging back to 28², and the image panels);
 *   <li>shapes: coverage and MMD under IoU against held-out shapes, depth views and PLY surfaces;
 *   <li>sphere: samples as equirectangular maps, FD of their northern caps projected back to the plane;
 *   <li>seed 0 only: training graph vs exported model (max |difference| over two numbers of pairs) and
 *       {@code onnx.checker} on each export.
 * </ul>
 *
 * Writes {@code results.json}, {@code table.md} and the images. {@code --quick} shrinks everything to
 * seconds (the numbers then mean nothing).
 */
public final class DpfExperiment implements Experiment {

  @Override
  public String name() {
    return "dpf";
  }

  @Override
  public String description() {
    return "DPF fields: MNIST FD/PR vs grid UNet, |C| ablation, 56/112 sampling vs bilinear, shapes COV/MMD, sphere,"
        + " export parity";
  }

  /**
   * Training steps of every model of the full study. The zoo recipes it reads train shorter schedules
   * (2,000 and 1,000 steps) so that the shipped models train on a small machine; the study keeps the
   * recipes' original 10,000.
   */
  static final long FULL_STEPS = 10_000;

  /** Training steps of every model of {@code kiln experiment dpf-short}. */
  static final long SHORT_STEPS = 2_000;

  /** Fourier octaves of the coordinate-encoding ablation (the recipes use 8). */
  static final int FEW_OCTAVES = 4;

  /**
   * What a run measures: quick, full or short.
   *
   * @param samples samples per FD (and per coverage/MMD set)
   * @param steps training steps of every model (null: the recipes' own)
   * @param seeds seeds when the command does not say
   */
  record Settings(boolean quick, int samples, int ddimSteps, int[] contexts, int[] resolutions, Long steps,
      int seeds) {
    static Settings of(boolean quick) {
      return quick ? new Settings(true, 8, 3, new int[] {16, 32}, new int[] {56}, 3L, 1)
          : new Settings(false, 1000, 50, new int[] {64, 128, 256, 784}, new int[] {56, 112}, FULL_STEPS, 3);
    }

    /** The full study's measures on {@value #SHORT_STEPS}-step trainings, 256 samples, one seed. */
    static Settings shortened(boolean quick) {
      if (quick) {
        return of(true);
      }
      Settings full = of(false);
      return new Settings(false, 256, full.ddimSteps(), full.contexts(), full.resolutions(), SHORT_STEPS, 1);
    }
  }

  @Override
  public void run(Context ctx) throws Exception {
    run(ctx, Settings.of(ctx.quick()));
  }

  static void run(Context ctx, Settings s) throws Exception {
    int seeds = ctx.seeds() > 0 ? ctx.seeds() : s.seeds();
    TrainingRun runs = new TrainingRun(ctx.backend(), Map.of("dpf", new FieldTaskProvider(), "diffusion",
        new DiffusionTaskProvider()), Map.of("perceiver-io", new PerceiverIoProvider(), "unet", new UNetProvider()));
    Files.createDirectories(ctx.outDir());
    ObjectNode results = JsonNodeFactory.instance.objectNode();
    results.put("quick", s.quick()).put("seeds", seeds).put("steps", s.steps()).put("samples", s.samples());
    ArrayNode rows = results.putArray("rows");
    long start = System.nanoTime();
    for (int seed = 0; seed < seeds; seed++) {
      Study study = new Study(ctx, s, runs, seed, ctx.outDir().resolve("seed-" + seed));
      double fd = study.mnist(rows, results);
      ctx.log().printf(Locale.ROOT, "seed %d: mnist done at %.1f s%n", seed, (System.nanoTime() - start) / 1e9);
      study.ablation(rows, fd);
      study.octaves(rows);
      ctx.log().printf(Locale.ROOT, "seed %d: context and octave ablations done at %.1f s%n", seed,
          (System.nanoTime() - start) / 1e9);
      study.shapes(rows);
      study.sphere(rows);
      ctx.log().printf(Locale.ROOT, "seed %d: shapes and sphere done at %.1f s%n", seed, (System.nanoTime() - start) / 1e9);
      // What the seeds so far measured, so that a stopped study keeps its finished seeds.
      write(ctx, results, rows);
    }
    ctx.log().println(table(rows));
  }

  private static void write(Context ctx, ObjectNode results, ArrayNode rows) throws IOException {
    AtomicFiles.write(ctx.outDir().resolve("results.json"),
        Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(results));
    AtomicFiles.write(ctx.outDir().resolve("table.md"), table(rows).getBytes(StandardCharsets.UTF_8));
  }

  /** Mean ± std over seeds of every (part, method, metric). */
  static String table(ArrayNode rows) {
    Map<String, List<Double>> values = new LinkedHashMap<>();
    for (JsonNode r : rows) {
      values.computeIfAbsent(r.get("part").asText() + " | " + r.get("method").asText() + " | " + r.get("metric").asText(),
          k -> new ArrayList<>()).add(r.get("value").asDouble());
    }
    StringBuilder sb = new StringBuilder("| part | method | metric | mean | std | seeds |\n|---|---|---|---|---|---|\n");
    values.forEach((k, v) -> {
      double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      double var = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.size() - 1);
      sb.append(String.format(Locale.ROOT, "| %s | %.4g | %.2g | %d |%n", k, mean, Math.sqrt(var), v.size()));
    });
    return sb.toString();
  }

  /** One seed of the study. */
  private record Study(Context ctx, Settings s, TrainingRun runs, int seed, Path dir) {

    /** DPF and the grid UNet on MNIST, and DPF at the higher resolutions; returns DPF's FD at 28². */
    double mnist(ArrayNode rows, ObjectNode results) throws Exception {
      Recipe recipe = recipe("mnist");
      Trained dpf = train(recipe, "dpf-mnist");
      double fd;
      try (GenerativeModel m = GenerativeModel.load(dpf.model(), ctx.backend());
          SampleQuality quality = new SampleQuality(digits(), ctx.backend())) {
        fd = onMnist(m, quality, "DPF", dpf.params(), "", rows);
        Trained unet = train(baseline(recipe, dpf.params()), "unet-mnist");
        try (GenerativeModel u = GenerativeModel.load(unet.model(), ctx.backend())) {
          Sampler ddim = u.sampler(new DdimProvider(), null, "dpf baseline");
          Tensor x = chunks(s.samples(), (n, k) -> u.sample(ddim, u.denoiser(), n, s.ddimSteps(), chunkSeed(k)));
          images(x.reshape(x.dim(0), 28 * 28, 1), 28, 28, "unet-28.png");
          quality("mnist", "grid UNet", unet.params(), quality.measure(x, null, seed), rows);
        }
      }
      if (seed == 0) {
        results.set("parity", parity(List.of(dpf)));
      }
      return fd;
    }

    /**
     * Field model {@code m} on MNIST: its 28² samples (panel {@code mnist-28<suffix>.png}, FD, precision,
     * recall and parameter count under {@code method}), then at each of the settings' resolutions the FD
     * after area-averaging back to 28², the samples' panel and the bilinear upsampling of the 28²
     * samples; returns the FD at 28².
     */
    private double onMnist(GenerativeModel m, SampleQuality quality, String method, long params, String suffix,
        ArrayNode rows) throws Exception {
      Tensor at28 = sample(m, 28, s.samples());
      images(at28, 28, 28, "mnist-28" + suffix + ".png");
      Map<String, Double> q28 = quality.measure(asImages(at28, 28), null, seed);
      quality("mnist", method, params, q28, rows);
      contextUse(m, method, rows);
      for (int r : s.resolutions()) {
        int n = Math.min(s.samples(), 64);
        Tensor high = sample(m, r, n);
        images(high, r, r, "mnist-" + r + suffix + ".png");
        images(FieldMetrics.bilinear(asImages(at28, 28), r).reshape(s.samples(), r * r, 1), r, r,
            "mnist-28-bilinear-" + r + suffix + ".png");
        Map<String, Double> q = quality.measure(FieldMetrics.downsampleTo28(high, r), null, seed);
        row(rows, "resolution", method + " at " + r + "² → 28²", "fd", q.get("fd"));
      }
      return q28.get("fd");
    }

    /**
     * Whether field model {@code m}'s denoiser reads its context (the standard measure,
     * {@link FieldMetrics#contextUse(GenerativeModel, long)}): one row per timestep and measure.
     */
    private void contextUse(GenerativeModel m, String method, ArrayNode rows) {
      for (FieldMetrics.ContextUse u : FieldMetrics.contextUse(m, seed)) {
        row(rows, "context use", method + ", t = " + u.t(), "x0 MSE, own context", u.own());
        row(rows, "context use", method + ", t = " + u.t(), "x0 MSE, another field's", u.swapped());
        row(rows, "context use", method + ", t = " + u.t(), "x0 MSE, per-coordinate mean", u.mean());
      }
    }

    /** The digit task whose classifier features FD, precision and recall read. */
    private static DiffusionTask digits() {
      return new DiffusionTask(new DiffusionTaskConfig("mnist", null, null, false, null));
    }

    /**
     * The coordinate-encoding ablation: the MNIST recipe with {@value #FEW_OCTAVES} Fourier octaves
     * instead of 8, whose shortest period (2/2³ of the [−1, 1] range, 3.5 pixels at 28²) stays above the
     * training grid's spacing; FD at 28² and at the higher resolutions.
     */
    void octaves(ArrayNode rows) throws Exception {
      Recipe r = recipe("mnist").with("architecture.frequencies", num(FEW_OCTAVES));
      Trained t = train(r, "dpf-mnist-octaves-" + FEW_OCTAVES);
      try (GenerativeModel m = GenerativeModel.load(t.model(), ctx.backend());
          SampleQuality quality = new SampleQuality(digits(), ctx.backend())) {
        onMnist(m, quality, "DPF, " + FEW_OCTAVES + " octaves", t.params(), "-octaves-" + FEW_OCTAVES, rows);
      }
    }

    /** FD per context size; the recipe's own size is the MNIST model already measured ({@code recipeFd}). */
    void ablation(ArrayNode rows, double recipeFd) throws Exception {
      int own = recipe("mnist").json().path("task").path("context_size").asInt();
      try (SampleQuality quality = new SampleQuality(digits(), ctx.backend())) {
        for (int c : s.contexts()) {
          if (c == own) {
            row(rows, "context ablation", "context size " + c, "fd", recipeFd);
            continue;
          }
          Recipe r = recipe("mnist").with("task.context_size", num(c));
          Trained t = train(r, "dpf-mnist-context-" + c);
          try (GenerativeModel m = GenerativeModel.load(t.model(), ctx.backend())) {
            Map<String, Double> q = quality.measure(asImages(sample(m, 28, s.samples()), 28), null, seed);
            row(rows, "context ablation", "context size " + c, "fd", q.get("fd"));
          }
        }
      }
    }

    void shapes(ArrayNode rows) throws Exception {
      Recipe recipe = recipe("shapes");
      Trained t = train(recipe, "dpf-shapes");
      FieldTask task = (FieldTask) runs.build(recipe).task();
      int r = task.data().resolution();
      int p = task.data().pairs();
      try (GenerativeModel m = GenerativeModel.load(t.model(), ctx.backend())) {
        int n = Math.min(s.samples(), 200);
        Tensor x = sample(m, r, n);
        double[] ref = new double[n * p];
        task.data().reference(seed, n, true, ref);
        float[] refs = new float[ref.length];
        for (int i = 0; i < ref.length; i++) {
          refs[i] = (float) ref[i];
        }
        double[] cm = FieldMetrics.coverageAndMmd(x.toFloatArray(), n, refs, n, p);
        row(rows, "shapes", "DPF", "coverage_iou", cm[0]);
        row(rows, "shapes", "DPF", "mmd_iou", cm[1]);
        int shown = Math.min(n, 4);
        Tensor first = Tensor.of(DType.FLOAT, java.util.Arrays.copyOf(x.toDoubleArray(), shown * p), shown, p, 1);
        ImageGrid.forRange(0, 1).withColumns(FieldRenders.VIEWS).write(FieldRenders.depthViews(first, r, 96),
            dir.resolve("shapes-views.png"));
        for (int i = 0; i < shown; i++) {
          OccupancyMesh.writePly(x.toFloatArray(), i * p, r, dir.resolve("shape-" + i + ".ply"));
        }
      }
      row(rows, "shapes", "DPF", "params", t.params());
    }

    void sphere(ArrayNode rows) throws Exception {
      Recipe recipe = recipe("sphere");
      Trained t = train(recipe, "dpf-sphere");
      int r = ((FieldTask) runs.build(recipe).task()).data().resolution();
      try (GenerativeModel m = GenerativeModel.load(t.model(), ctx.backend());
          SampleQuality quality = new SampleQuality(digits(), ctx.backend())) {
        Tensor x = sample(m, r, s.samples());
        images(x, r, 2 * r, "sphere.png");
        Map<String, Double> q = quality.measure(FieldMetrics.sphereToPlane(x, r), null, seed);
        row(rows, "sphere", "DPF (cap → plane)", "fd", q.get("fd"));
      }
    }

    /** Training graph vs export at two numbers of pairs, and onnx.checker, for each model. */
    private ObjectNode parity(List<Trained> models) throws Exception {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Trained t : models) {
        TrainingRun.Built b = runs.build(t.recipe());
        double worst = 0;
        try (ForwardSession live = ForwardSession.compile(b.graph(), ctx.backend(), t.weights(), "out");
            Session served = ctx.backend().load(t.model())) {
          for (int[] pk : new int[][] {{37, 11}, {300, 120}}) {
            Map<String, Tensor> in = randomInputs(pk[0], pk[1], (int) b.architecture().inputs().get(1).shape().dim(2)
                .size());
            float[] a = live.run(in).get("out").toFloatArray();
            float[] e = served.run(in).get("out").toFloatArray();
            for (int i = 0; i < a.length; i++) {
              worst = Math.max(worst, Math.abs(a[i] - e[i]));
            }
          }
        }
        out.set(t.name(), JsonNodeFactory.instance.objectNode().put("max_abs_difference", worst)
            .put("onnx_checker", checker(t.model())));
      }
      return out;
    }

    private Map<String, Tensor> randomInputs(int p, int k, int d) {
      SplittableRandom rng = new SplittableRandom(5);
      Map<String, Tensor> in = new LinkedHashMap<>();
      in.put("x", random(rng, 1, 2, p, 1));
      in.put("coords", random(rng, 0.9, 2, p, d));
      in.put("t", Tensor.of(DType.FLOAT, new double[] {100, 700}, 2));
      in.put("context", random(rng, 1, 2, k, 1));
      in.put("context_coords", random(rng, 0.9, 2, k, d));
      return in;
    }

    private static Tensor random(SplittableRandom rng, double scale, long... shape) {
      Tensor t = Tensor.zeros(DType.FLOAT, shape);
      for (int i = 0; i < t.size(); i++) {
        t.set(i, scale * (2 * rng.nextDouble() - 1));
      }
      return t;
    }

    /** "ok", the checker's complaint, or "skipped" without python3-onnx. */
    private static String checker(Path model) throws IOException, InterruptedException {
      Process p;
      try {
        p = new ProcessBuilder("/usr/bin/python3", "-c", "import onnx,sys; onnx.checker.check_model(sys.argv[1],"
            + " full_check=True)", model.toString()).redirectErrorStream(true).start();
      } catch (IOException e) {
        return "skipped (no python3)";
      }
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(120, TimeUnit.SECONDS);
      return p.exitValue() == 0 ? "ok" : text.contains("No module named") ? "skipped (no onnx)" : text;
    }

    private record Trained(String name, Recipe recipe, Path model, Weights weights, long params) {}

    private Trained train(Recipe recipe, String name) throws IOException {
      Path run = dir.resolve(name);
      long start = System.nanoTime();
      Recipe r = recipe.with("seed", num(seed));
      if (s.steps() != null) {
        r = r.with("trainer.steps", num(s.steps()));
      }
      Trainer.Result result = runs.train(r, run, null);
      Path model = runs.export(run, run.resolve("model.onnx"), false);
      long params = result.weights().asMap().values().stream().mapToLong(Tensor::size).sum();
      ctx.log().printf(Locale.ROOT, "%s seed %d: %d steps, loss %.4f, %d parameters, %.1f s%n", name, seed,
          result.steps(), result.finalLoss(), params, (System.nanoTime() - start) / 1e9);
      return new Trained(name, r, model, result.weights(), params);
    }

    /** The zoo recipe of {@code part}; in quick mode a tiny network, batch and context. */
    private Recipe recipe(String part) throws IOException {
      String resource = part + "/recipe.json";
      Recipe r;
      try (InputStream in = DpfExperiment.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("zoo recipe dpf-" + part + " is not packaged with kiln-experiments");
        }
        r = Recipe.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "model-zoo/dpf-" + resource);
      }
      if (!s.quick()) {
        return r;
      }
      for (var e : Map.of("task.batch_size", 4, "task.context_size", 32, "task.query_size", 32,
          "architecture.width", 8, "architecture.latents", 4, "architecture.blocks", 1, "architecture.heads", 2,
          "trainer.log_every", 1).entrySet()) {
        r = r.with(e.getKey(), num(e.getValue()));
      }
      return part.equals("mnist") ? r : r.with("task.resolution", num(part.equals("shapes") ? 8 : 12));
    }

    /** The grid UNet with the base width whose parameter count is nearest {@code params}. */
    private Recipe baseline(Recipe dpf, long params) {
      int best = 8;
      long gap = Long.MAX_VALUE;
      for (int base : new int[] {4, 8, 12, 16, 24, 32}) {
        long count = unetParams(base);
        if (Math.abs(count - params) < gap) {
          gap = Math.abs(count - params);
          best = base;
        }
      }
      ObjectNode json = dpf.json().deepCopy();
      ObjectNode task = json.putObject("task").put("type", "diffusion").put("data", "mnist")
          .put("batch_size", dpf.json().path("task").path("batch_size").asInt());
      task.set("schedule", dpf.json().path("task").path("schedule"));
      json.putObject("architecture").put("type", "unet").put("channels", 1).put("size", 28).put("base", best)
          .put("groups", best >= 8 ? 4 : 2).putArray("multipliers").add(1).add(2).add(2);
      json.put("name", "unet-mnist");
      return Recipe.parse(json.toString(), "dpf grid baseline");
    }

    private long unetParams(int base) {
      var arch = new UNetProvider().create(new dev.kiln.diffusion.arch.UNet.Config(1, 28, base, List.of(1, 2, 2),
          base >= 8 ? 4 : 2, 0));
      dev.kiln.graph.Graph g = new dev.kiln.graph.Graph("count");
      arch.build(g, arch.declareInputs(g));
      return g.parameters().stream().mapToLong(v -> v.shape().size()).sum();
    }

    /** {@code n} samples of field model {@code m} on its domain's grid at {@code r}, DDIM, in chunks. */
    private Tensor sample(GenerativeModel m, int r, int n) throws Exception {
      Domain domain = Domain.parse(m.fieldDomain(), "field_domain");
      GenerativeModel at = m.at(FieldQuery.of(domain.grid(r), domain.dimension(), m.contextSize(), seed));
      Sampler ddim = at.sampler(new DdimProvider(), null, "dpf");
      int per = Math.max(1, Math.min(n, 200_000 / domain.pairs(r)));
      return chunks(n, per, (count, k) -> at.sample(ddim, at.denoiser(), count, s.ddimSteps(), chunkSeed(k)));
    }

    private long chunkSeed(int k) {
      return Seeds.mix(seed, "dpf-samples", k);
    }

    interface Draw {
      Tensor draw(int count, int chunk) throws Exception;
    }

    private static Tensor chunks(int n, Draw draw) throws Exception {
      return chunks(n, 100, draw);
    }

    /** Draws n samples {@code per} at a time and concatenates them along the batch. */
    private static Tensor chunks(int n, int per, Draw draw) throws Exception {
      List<Tensor> parts = new ArrayList<>();
      for (int done = 0, k = 0; done < n; done += per, k++) {
        parts.add(draw.draw(Math.min(per, n - done), k));
      }
      long[] shape = parts.get(0).shape();
      shape[0] = n;
      double[] all = new double[(int) (parts.get(0).size() / parts.get(0).dim(0) * n)];
      int at = 0;
      for (Tensor t : parts) {
        double[] v = t.toDoubleArray();
        System.arraycopy(v, 0, all, at, v.length);
        at += v.length;
      }
      return Tensor.of(DType.FLOAT, all, shape);
    }

    private static Tensor asImages(Tensor fields, int r) {
      return fields.reshape(fields.dim(0), 1, r, r);
    }

    private void images(Tensor fields, int h, int w, String file) throws IOException {
      int n = (int) Math.min(fields.dim(0), 64);
      Tensor shown = Tensor.of(DType.FLOAT, java.util.Arrays.copyOf(fields.toDoubleArray(), n * h * w), n, 1, h, w);
      ImageGrid.forRange(-1, 1).withColumns((int) Math.ceil(Math.sqrt(n))).withScale(Math.max(1, 112 / w))
          .write(shown, dir.resolve(file));
    }

    private void quality(String part, String method, long params, Map<String, Double> q, ArrayNode rows) {
      for (String k : new String[] {"fd", "precision", "recall"}) {
        row(rows, part, method, k, q.get(k));
      }
      row(rows, part, method, "params", params);
    }

    private void row(ArrayNode rows, String part, String method, String metric, double value) {
      rows.addObject().put("part", part).put("method", method).put("metric", metric).put("seed", seed)
          .put("value", value);
    }

    private static JsonNode num(long v) {
      return JsonNodeFactory.instance.numberNode(v);
    }
  }
}
