package dev.kiln.experiments.boot;

import dev.kiln.diffusion.boot.BootSamplerProvider;
import dev.kiln.diffusion.boot.BootTask;
import dev.kiln.diffusion.boot.BootTaskProvider;
import dev.kiln.diffusion.boot.ProgressiveDistillation;
import dev.kiln.diffusion.boot.Teacher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.diffusion.arch.MlpDenoiserProvider;
import dev.kiln.diffusion.arch.MlpImageDenoiserProvider;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.diffusion.task.DiffusionTaskProvider;
import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Value;
import dev.kiln.graph.onnx.ModelWriter;
import dev.kiln.runtime.Tensor;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Architecture;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import dev.kiln.viz.ImageGrid;
import dev.kiln.viz.ScatterPlot;
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

/**
 * The BOOT study (arXiv 2306.05544; report {@code docs/reproductions/boot.md}) on 8 Gaussians and on MNIST
 * digits: trains an x-prediction teacher from the zoo recipe ({@code model-zoo/boot-8gaussians},
 * {@code model-zoo/boot-mnist}), distils it without data into a one-step student ({@link BootTask}; the
 * digit teacher with classifier-free guidance), distils it again by progressive distillation 32 → … → 1
 * as the baseline, and compares, through the exported models in ONNX Runtime, the 1-step student with the
 * teacher's DDIM at 1–32 steps and the 1-step PD student: sample quality, pairing fidelity with DDIM-32
 * for the same noise, k-NN precision/recall, and wall time per sample. Two design choices the comparison
 * with progressive distillation may depend on are ablated with students of the same budget: the teacher
 * grid the student bootstraps along (16 and 64 steps against the recipe's 32) and how the boundary term
 * is sampled (draws of its own in every step, {@code boundary_rows}, against the draws that happen to
 * start at the noise end, weighted ×grid_steps). Writes {@code results.json}, {@code table.md} and sample
 * plots under the output folder.
 */
public final class BootExperiment implements Experiment {

  static final int[] DDIM_STEPS = {1, 2, 4, 8, 16, 32};

  /**
   * One data set's part of the study.
   *
   * @param name folder and label ({@code 8gaussians}, {@code mnist})
   * @param pdRoundSteps optimizer steps per progressive-distillation round
   * @param pdBatch its batch size
   * @param pdLr its learning rate
   * @param evalCount samples per metric evaluation
   * @param timingBatch samples per timed call
   */
  record Part(String name, long pdRoundSteps, int pdBatch, double pdLr, int evalCount, int timingBatch) {}

  /**
   * One ablated BOOT student: the recipe's student with another teacher grid or boundary scheme.
   *
   * @param label row label
   * @param folder run folder under the part's folder
   * @param gridSteps {@code task.grid_steps}
   * @param boundaryShare the fraction of each step's draws given to the boundary term (0: the recipe's
   *     scheme)
   */
  record Ablation(String label, String folder, int gridSteps, double boundaryShare) {

    /** {@code task.boundary_rows} for a batch of {@code batch} draws. */
    int boundaryRows(int batch) {
      return boundaryShare == 0 ? 0 : Math.max(1, (int) Math.round(boundaryShare * batch));
    }
  }

  static final List<Ablation> ABLATIONS = List.of(new Ablation("BOOT 1-step, grid 16", "boot-grid16", 16, 0),
      new Ablation("BOOT 1-step, grid 64", "boot-grid64", 64, 0),
      new Ablation("BOOT 1-step, own boundary rows", "boot-boundary-rows", 32, 0.125));

  static final List<Part> FULL = List.of(new Part("8gaussians", 1200, 256, 3e-4, 2000, 256),
      new Part("mnist", 1000, 64, 2e-4, 1000, 256));
  static final List<Part> QUICK = List.of(new Part("8gaussians", 5, 32, 3e-4, 100, 16),
      new Part("mnist", 2, 8, 2e-4, 50, 8));

  @Override
  public String name() {
    return "boot";
  }

  @Override
  public String description() {
    return "BOOT one-step student vs teacher DDIM 1-32 steps and progressive distillation (8 Gaussians, MNIST)";
  }

  @Override
  public void run(Context ctx) throws Exception {
    run(ctx, ctx.quick() ? QUICK : FULL);
  }

  /** Runs the study's {@code parts} and writes their results and tables. */
  void run(Context ctx, List<Part> parts) throws Exception {
    int seeds = ctx.seeds() > 0 ? ctx.seeds() : (ctx.quick() ? 1 : 3);
    ObjectNode results = Configs.mapper().createObjectNode();
    StringBuilder table = new StringBuilder();
    for (Part part : parts) {
      ObjectNode r = results.putObject(part.name());
      table.append(runPart(ctx, part, seeds, r));
      Files.writeString(ctx.outDir().resolve("results.json"), results.toPrettyString());
      Files.writeString(ctx.outDir().resolve("table.md"), table.toString());
    }
  }

  private String runPart(Context ctx, Part part, int seeds, ObjectNode out) throws IOException {
    Path dir = ctx.outDir().resolve(part.name());
    TrainingRun runs = new TrainingRun(ctx.backend(), Map.of("diffusion", new DiffusionTaskProvider(), "boot",
        new BootTaskProvider()), Map.of("mlp-denoiser", new MlpDenoiserProvider(), "mlp-image-denoiser",
        new MlpImageDenoiserProvider()));
    Recipe teacherRecipe = recipe(part.name() + "/teacher.json");
    Recipe bootRecipe = recipe(part.name() + "/recipe.json");
    if (ctx.quick()) {
      teacherRecipe = quick(teacherRecipe, part);
      bootRecipe = bootRecipe.with("trainer.steps", number(10)).with("trainer.log_every", number(5))
          .with("trainer.checkpoint_every", number(0)).with("task.batch_size", number(8));
    }
    ObjectNode timing = out.putObject("train_seconds");

    long t0 = System.nanoTime();
    Trainer.Result teacherResult = runs.train(teacherRecipe, dir.resolve("teacher"), ctx.log());
    Path teacherFile = runs.export(dir.resolve("teacher"), dir.resolve("teacher/model.onnx"), true);
    timing.put("teacher", seconds(t0));
    out.put("teacher_steps", teacherResult.steps()).put("teacher_final_loss", teacherResult.finalLoss());

    bootRecipe = bootRecipe.with("task.teacher", JsonNodeFactory.instance.textNode(teacherFile.toString()))
        .with("architecture", teacherRecipe.section("architecture"));
    t0 = System.nanoTime();
    Trainer.Result bootResult = runs.train(bootRecipe, dir.resolve("boot"), ctx.log());
    Path bootFile = runs.export(dir.resolve("boot"), dir.resolve("boot/model.onnx"), true);
    timing.put("boot", seconds(t0));
    out.put("boot_steps", bootResult.steps()).put("boot_final_loss", bootResult.finalLoss())
        .put("boot_train_steps_per_second", bootResult.stepsPerSecond());
    double guidance = bootRecipe.section("task").path("guidance").asDouble(1.0);
    out.put("guidance", guidance);

    int batch = bootRecipe.section("task").path("batch_size").asInt();
    List<Path> ablationFiles = new ArrayList<>();
    for (Ablation a : ABLATIONS) {
      Recipe r = bootRecipe.with("task.grid_steps", number(a.gridSteps()))
          .with("task.boundary_rows", number(a.boundaryRows(batch)));
      t0 = System.nanoTime();
      Trainer.Result ar = runs.train(r, dir.resolve(a.folder()), ctx.log());
      ablationFiles.add(runs.export(dir.resolve(a.folder()), dir.resolve(a.folder()).resolve("model.onnx"), true));
      timing.put(a.folder(), seconds(t0));
      out.putObject("ablation_" + a.folder()).put("grid_steps", a.gridSteps())
          .put("boundary_rows", a.boundaryRows(batch)).put("final_loss", ar.finalLoss()).put("steps", ar.steps());
    }

    Teacher teacher = Teacher.load(teacherFile);
    Architecture arch = runs.build(teacherRecipe).architecture();
    DiffusionTask data = task(teacherRecipe, Map.of());
    t0 = System.nanoTime();
    ProgressiveDistillation pd = new ProgressiveDistillation(ctx.backend(), arch, teacher,
        new ProgressiveDistillation.Settings(32, part.pdRoundSteps(), part.pdBatch(), part.pdLr(), guidance));
    List<ProgressiveDistillation.Round> rounds = pd.run(cleanBatches(teacherRecipe, teacher, part.pdBatch()),
        dir.resolve("pd"), teacherRecipe.seed(), ctx.log());
    Path pdFile = exportStudent(arch, rounds.get(rounds.size() - 1).student(), teacher, dir.resolve("pd/model.onnx"));
    timing.put("progressive_distillation", seconds(t0));
    ArrayNode pdLosses = out.putArray("pd_round_final_loss");
    rounds.forEach(r -> pdLosses.add(r.result().finalLoss()));

    try (GenerativeModel teacherModel = GenerativeModel.load(teacherFile, ctx.backend());
        GenerativeModel bootModel = GenerativeModel.load(bootFile, ctx.backend());
        GenerativeModel pdModel = GenerativeModel.load(pdFile, ctx.backend());
        SampleQuality quality = new SampleQuality(data, ctx.backend());
        Models ablated = new Models(ablationFiles, ctx)) {
      List<DistillationComparison.Method> methods = new ArrayList<>();
      for (int n : DDIM_STEPS) {
        methods.add(new DistillationComparison.Method("teacher DDIM-" + n, teacherModel, teacher.ddim(), n, guidance));
      }
      DistillationComparison.Method reference = methods.get(methods.size() - 1);
      DistillationComparison.Method boot = new DistillationComparison.Method("BOOT 1-step", bootModel,
          bootModel.sampler(new BootSamplerProvider(), null, "boot"), 1, 1);
      DistillationComparison.Method progressive = new DistillationComparison.Method("PD 1-step", pdModel,
          teacher.ddim(), 1, 1);
      methods.add(boot);
      methods.add(progressive);
      for (int i = 0; i < ABLATIONS.size(); i++) {
        GenerativeModel m = ablated.models().get(i);
        methods.add(new DistillationComparison.Method(ABLATIONS.get(i).label(), m,
            m.sampler(new BootSamplerProvider(), null, "boot"), 1, 1));
      }
      ctx.log().println(part.name() + ": measuring " + methods.size() + " samplers × " + seeds + " seeds");
      List<DistillationComparison.Row> rows = new DistillationComparison(data, quality)
          .measure(methods, reference, part.evalCount(), seeds);
      ArrayNode jsonRows = out.putArray("rows");
      for (DistillationComparison.Row row : rows) {
        ObjectNode o = jsonRows.addObject().put("method", row.name()).put("nfe", row.nfe());
        row.metrics().forEach((k, v) -> o.put(k + "_mean", v[0]).put(k + "_std", v[1]));
      }
      List<DistillationComparison.Method> timed = List.of(boot, progressive, methods.get(0), methods.get(3), reference);
      Map<String, Double> wall = DistillationComparison.wallTimePerSample(timed, part.timingBatch(),
          ctx.quick() ? 1 : 9);
      ObjectNode w = out.putObject("wall_time_us_per_sample");
      wall.forEach(w::put);
      out.put("timing_batch", part.timingBatch());
      plot(part, dir, data, List.of(methods.get(0), methods.get(2), reference, progressive, boot));
      return table(part, rows, wall);
    }
  }

  /** Exported models loaded together and closed together. */
  private record Models(List<GenerativeModel> models) implements AutoCloseable {
    Models(List<Path> files, Context ctx) throws IOException {
      this(new ArrayList<>());
      for (Path f : files) {
        models.add(GenerativeModel.load(f, ctx.backend()));
      }
    }

    @Override
    public void close() {
      models.forEach(GenerativeModel::close);
    }
  }

  /** The part's recipe, as shipped in the zoo. */
  private static Recipe recipe(String resource) throws IOException {
    try (InputStream in = BootExperiment.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("recipe " + resource + " is missing from the kiln-diffusion jar");
      }
      return Recipe.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "model-zoo/boot-" + resource);
    }
  }

  /** A few steps of a narrow model: checks the pipeline, not the method. */
  private static Recipe quick(Recipe r, Part part) {
    return r.with("trainer.steps", number(part.name().equals("mnist") ? 5 : 100))
        .with("trainer.log_every", number(50)).with("trainer.checkpoint_every", number(0))
        .with("task.batch_size", number(32)).with("architecture.hidden", number(16));
  }

  private static JsonNode number(long v) {
    return JsonNodeFactory.instance.numberNode(v);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** The teacher recipe's data, with task fields overridden. */
  private static DiffusionTask task(Recipe r, Map<String, JsonNode> overrides) {
    ObjectNode t = r.section("task").deepCopy();
    t.remove("type");
    overrides.forEach(t::set);
    return new DiffusionTask(Configs.read(t, DiffusionTaskConfig.class, r.origin() + ": task"));
  }

  /** Clean training examples (and labels) from the teacher's data, for progressive distillation. */
  private static ProgressiveDistillation.CleanBatches cleanBatches(Recipe r, Teacher teacher, int batch) {
    ObjectNode schedule = ((ObjectNode) r.section("task").path("schedule")).deepCopy().put("prediction_type", "sample");
    DiffusionTask data = task(r, Map.of("p_uncond", JsonNodeFactory.instance.numberNode(0.0), "batch_size",
        JsonNodeFactory.instance.numberNode(batch), "schedule", schedule));
    long[] shape = new long[teacher.sampleShape().length + 1];
    shape[0] = batch;
    System.arraycopy(teacher.sampleShape(), 0, shape, 1, shape.length - 1);
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    feeds.put("x", Tensor.zeros(DType.FLOAT, shape));
    feeds.put("t", Tensor.zeros(DType.FLOAT, batch));
    feeds.put("target", Tensor.zeros(DType.FLOAT, shape));
    if (teacher.numClasses() > 0) {
      feeds.put("label", Tensor.zeros(DType.INT64, batch));
    }
    long seed = r.seed();
    return (step, x0) -> {
      data.fill(seed, step, feeds);
      Tensor target = feeds.get("target");
      for (int i = 0; i < x0.length; i++) {
        x0[i] = target.get(i);
      }
      return teacher.numClasses() > 0 ? feeds.get("label").toLongArray() : null;
    };
  }

  /** A progressive-distillation student as a diffusion model sampled with the teacher's schedule. */
  private static Path exportStudent(Architecture arch, Weights w, Teacher teacher, Path file) throws IOException {
    Graph g = new Graph("pd-student");
    Map<String, Value> in = arch.declareInputs(g);
    g.output("out", arch.build(g, in).get("out"));
    Map<String, String> meta = new LinkedHashMap<>(teacher.metadata());
    meta.remove("kiln_version");
    meta.put("kiln_task", "progressive-distillation");
    meta.put("pd_teacher", teacher.path().toString());
    ModelWriter.of(g).onlyOutputs("out").weights(w.toProtos()).metadata(meta).write(file);
    return file;
  }

  private static void plot(Part part, Path dir, DiffusionTask data, List<DistillationComparison.Method> methods)
      throws IOException {
    if (part.name().equals("mnist")) {
      List<Tensor> firstRows = new ArrayList<>();
      for (DistillationComparison.Method m : methods) {
        Tensor x = clamp(m.sample(100, 1000));
        ImageGrid.forRange(-1, 1).withColumns(10).write(x, dir.resolve("samples-" + slug(m.name()) + ".png"));
        firstRows.add(x);
      }
      // One row per method, same noise and label per column: what pairing fidelity measures.
      int per = 10 * 28 * 28;
      float[] rows = new float[methods.size() * per];
      for (int i = 0; i < firstRows.size(); i++) {
        System.arraycopy(firstRows.get(i).toFloatArray(), 0, rows, i * per, per);
      }
      ImageGrid.forRange(-1, 1).withColumns(10).withScale(2)
          .write(Tensor.of(rows, 10L * methods.size(), 1, 28, 28), dir.resolve("pairing.png"));
      return;
    }
    List<ScatterPlot.Panel> panels = new ArrayList<>();
    panels.add(ScatterPlot.Panel.of("held-out data", data.referenceSamples(77, part.evalCount(), true)));
    for (DistillationComparison.Method m : methods) {
      panels.add(ScatterPlot.Panel.of(m.name(), m.sample(part.evalCount(), 1000)));
    }
    ScatterPlot.defaults().withBounds(ScatterPlot.Bounds.square(2.6)).withPanelSize(260).withDotDiameter(2)
        .write(dir.resolve("samples.png"), panels);
  }

  private static Tensor clamp(Tensor t) {
    Tensor c = t.copy();
    for (int i = 0; i < c.size(); i++) {
      c.set(i, Math.max(-1, Math.min(1, c.get(i))));
    }
    return c;
  }

  private static String slug(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  private static String table(Part part, List<DistillationComparison.Row> rows, Map<String, Double> wall) {
    List<String> keys = new ArrayList<>(rows.get(0).metrics().keySet());
    StringBuilder s = new StringBuilder("## " + part.name() + "\n\n| method | NFE | " + String.join(" | ", keys)
        + " |\n|---|---|" + "---|".repeat(keys.size()) + "\n");
    for (DistillationComparison.Row r : rows) {
      s.append("| ").append(r.name()).append(" | ").append(r.nfe()).append(" |");
      for (String k : keys) {
        double[] v = r.metrics().get(k);
        s.append(String.format(Locale.ROOT, " %.4g ± %.2g |", v[0], v[1]));
      }
      s.append('\n');
    }
    s.append("\nwall time per sample (µs, batch ").append(part.timingBatch()).append("): ");
    wall.forEach((k, v) -> s.append(String.format(Locale.ROOT, "%s %.1f; ", k, v)));
    return s.append("\n\n").toString();
  }
}
