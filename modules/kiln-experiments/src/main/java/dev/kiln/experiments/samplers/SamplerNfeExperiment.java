package dev.kiln.experiments.samplers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.diffusion.arch.MlpDenoiserProvider;
import dev.kiln.diffusion.eval.SampleQuality;
import dev.kiln.inference.GenerativeModel;
import dev.kiln.diffusion.task.DiffusionTask;
import dev.kiln.diffusion.task.DiffusionTaskConfig;
import dev.kiln.diffusion.task.DiffusionTaskProvider;
import dev.kiln.runtime.Tensor;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Sampler;
import dev.kiln.spi.SamplerProvider;
import dev.kiln.train.Recipe;
import dev.kiln.train.TrainingRun;
import dev.kiln.viz.LinePlot;
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
 * Sample quality against the number of model evaluations for the standard samplers on one trained
 * model (the quickstart's 8-Gaussians DDPM): DDIM, Euler, DPM-Solver++ 2M and UniPC at NFE 5–100,
 * sliced Wasserstein distance and MMD² against held-out data, several noise seeds. Writes
 * {@code results.json}, {@code table.md} and {@code swd-vs-nfe.png}.
 */
public final class SamplerNfeExperiment implements Experiment {

  static final List<String> SAMPLERS = List.of("ddim", "euler", "dpmpp-2m", "unipc");
  static final int[] NFE = {5, 10, 20, 50, 100};

  @Override
  public String name() {
    return "sampler-nfe";
  }

  @Override
  public String description() {
    return "sample quality vs NFE for DDIM, Euler, DPM-Solver++ 2M, UniPC on the quickstart model";
  }

  @Override
  public void run(Context ctx) throws Exception {
    Recipe recipe = Recipe.parse(quickstartRecipe(), "model-zoo/quickstart-8gaussians/recipe.json");
    if (ctx.quick()) {
      recipe = recipe.with("trainer.steps", Configs.mapper().getNodeFactory().numberNode(200));
    }
    TrainingRun run = new TrainingRun(ctx.backend(), Map.of("diffusion", new DiffusionTaskProvider()),
        Map.of("mlp-denoiser", new MlpDenoiserProvider()));
    Path runDir = ctx.outDir().resolve("model");
    run.train(recipe, runDir, ctx.log());
    Path modelFile = run.export(runDir, runDir.resolve("model.onnx"), true);
    Map<String, SamplerProvider<?>> providers = Providers.load(SamplerProvider.class);
    int seeds = ctx.seeds() > 0 ? ctx.seeds() : (ctx.quick() ? 1 : 3);
    int count = ctx.quick() ? 200 : 2000;
    int[] nfes = ctx.quick() ? new int[] {5, 20} : NFE;
    ObjectNode results = Configs.mapper().createObjectNode();
    Map<String, double[]> swdMeans = new LinkedHashMap<>();
    StringBuilder table = new StringBuilder("| sampler | " + String.join(" | ", java.util.Arrays.stream(nfes)
        .mapToObj(n -> "NFE " + n).toList()) + " |\n|---|" + "---|".repeat(nfes.length) + "\n");
    try (GenerativeModel model = GenerativeModel.load(modelFile, ctx.backend());
        SampleQuality quality = new SampleQuality(task(recipe), ctx.backend())) {
      for (String name : SAMPLERS) {
        Sampler sampler = model.sampler(Providers.named(providers, name, "sampler"),
            Configs.mapper().createObjectNode().put("timestep_spacing", "trailing"), name);
        double[] swd = new double[nfes.length];
        StringBuilder row = new StringBuilder("| " + name + " |");
        for (int k = 0; k < nfes.length; k++) {
          int steps = stepsFor(sampler, nfes[k]);
          List<Double> s = new ArrayList<>();
          List<Double> mmd = new ArrayList<>();
          for (int seed = 0; seed < seeds; seed++) {
            Tensor samples = model.sample(sampler, model.denoiser(null, 1), count, steps, 1000 + seed);
            Map<String, Double> q = quality.measure(samples, null, 77 + seed);
            s.add(q.get("swd"));
            mmd.add(q.get("mmd2"));
          }
          swd[k] = mean(s);
          ObjectNode cell = results.putObject(name + "@" + nfes[k]);
          cell.put("nfe", sampler.evaluations(steps)).put("steps", steps).put("swd_mean", mean(s))
              .put("swd_std", std(s)).put("mmd2_mean", mean(mmd)).put("mmd2_std", std(mmd));
          row.append(String.format(Locale.ROOT, " %.3f ± %.3f |", mean(s), std(s)));
          ctx.log().printf(Locale.ROOT, "%s NFE %d: SWD %.4f ± %.4f, MMD² %.5f%n", name, nfes[k], mean(s), std(s),
              mean(mmd));
        }
        swdMeans.put(name, swd);
        table.append(row).append('\n');
      }
    }
    Files.writeString(ctx.outDir().resolve("results.json"), results.toPrettyString());
    Files.writeString(ctx.outDir().resolve("table.md"), table.toString());
    double[] x = java.util.Arrays.stream(nfes).asDoubleStream().toArray();
    List<LinePlot.Series> series = new ArrayList<>();
    swdMeans.forEach((name, y) -> series.add(new LinePlot.Series(name, x, y)));
    LinePlot.titled("8 Gaussians: sliced Wasserstein distance vs NFE (" + seeds + " seeds × " + count + " samples)")
        .withLabels("model evaluations (NFE)", "SWD to held-out data").withLogX(true).withLogY(true)
        .write(ctx.outDir().resolve("swd-vs-nfe.png"), series);
  }

  /** Steps giving {@code nfe} model evaluations. */
  private static int stepsFor(Sampler s, int nfe) {
    int steps = nfe;
    while (steps > 1 && s.evaluations(steps) > nfe) {
      steps--;
    }
    return steps;
  }

  private static DiffusionTask task(Recipe r) {
    ObjectNode t = r.section("task").deepCopy();
    t.remove("type");
    return new DiffusionTask(Configs.read(t, DiffusionTaskConfig.class, r.origin() + ": task"));
  }

  static String quickstartRecipe() throws IOException {
    try (InputStream in = SamplerNfeExperiment.class.getResourceAsStream("recipe.json")) {
      if (in == null) {
        throw new IllegalStateException("the quickstart recipe is missing from the kiln-diffusion jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static double std(List<Double> v) {
    double m = mean(v);
    return v.size() < 2 ? 0 : Math.sqrt(v.stream().mapToDouble(d -> (d - m) * (d - m)).sum() / (v.size() - 1));
  }
}
