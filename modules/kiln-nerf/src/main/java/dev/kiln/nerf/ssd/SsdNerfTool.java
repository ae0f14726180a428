package dev.kiln.nerf.ssd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.nerf.scenes.MultiViewDataset;
import dev.kiln.nerf.scenes.MultiViewDataset.SceneViews;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Configs;
import dev.kiln.spi.DataIdentity;
import dev.kiln.train.MetricsLog;
import dev.kiln.train.SourceCommit;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.spi.ToolProvider;

/**
 * SSDNeRF trained and measured from the command line, found at run time as the {@code kiln-ssdnerf}
 * {@link ToolProvider} ({@code kiln zoo} trains and verifies the zoo's SSDNeRF through it):
 *
 * <pre>
 *   train    --config RECIPE.json --output DIR [--threads N]
 *   evaluate --model DIR [--scenes N] [--seed N] [--threads N]
 * </pre>
 *
 * {@code train} trains single-stage SSDNeRF ({@link SsdTrainer}) as an {@link SsdNerfRecipe} says and
 * writes {@code recipe.json}, {@code metrics.jsonl} and the exported {@code decoder.onnx} and
 * {@code denoiser.onnx} ({@link SsdNerfExport}) into DIR. {@code evaluate} reconstructs N unseen scenes
 * (the first N after the training and test splits of the model's dataset, {@link MultiViewDataset#validation})
 * from one input view with the exported model, by guided sampling and the finetune, and prints the PSNR and
 * SSIM at their eight held-out views as one JSON object: {@code {"psnr_1view": …, "ssim_1view": …}}.
 * Mistakes are thrown as {@link IllegalArgumentException} or {@link UncheckedIOException} naming the file,
 * option and value.
 */
public final class SsdNerfTool implements ToolProvider {

  /** The tool's name. */
  public static final String NAME = "kiln-ssdnerf";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int run(PrintWriter out, PrintWriter err, String... args) {
    if (args.length == 0) {
      err.println("usage: " + NAME + " train --config RECIPE.json --output DIR [--threads N]");
      err.println("       " + NAME + " evaluate --model DIR [--scenes N] [--seed N] [--threads N]");
      return 2;
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException("expected `--name value` pairs after " + args[0] + ", got `" + args[i] + "`");
      }
      o.put(args[i], args[i + 1]);
    }
    try {
      switch (args[0]) {
        case "train" -> train(Path.of(need(o, "--config")), Path.of(need(o, "--output")), integer(o, "--threads", 1),
            out);
        case "evaluate" -> out.println(Configs.mapper().writeValueAsString(evaluate(Path.of(need(o, "--model")),
            integer(o, "--scenes", 4), integer(o, "--seed", 0), integer(o, "--threads", 1))));
        default -> throw new IllegalArgumentException("unknown subcommand `" + args[0] + "`; use train or evaluate");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
    return 0;
  }

  /** Trains {@code recipeFile} into {@code dir} and exports the model there. */
  public static void train(Path recipeFile, Path dir, int threads, PrintWriter out) throws IOException {
    JsonNode json = Configs.readFile(recipeFile, "SSDNeRF recipe");
    SsdNerfRecipe recipe;
    try {
      recipe = Configs.read(json, SsdNerfRecipe.class, recipeFile.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(recipeFile + ": " + e.getMessage(), e);
    }
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve("recipe.json"), Files.readAllBytes(recipeFile));
    String commit = SourceCommit.current();
    MultiViewDataset data = MultiViewDataset.generate(recipe.data());
    DataIdentity identity = SsdNerfRecipe.identity(recipe.data(), data.train());
    SsdNerf model = SsdNerf.initialize(recipe.ssdnerf(), recipe.seed());
    out.printf(Locale.ROOT, "%s: training single-stage on %d scenes × %d views, %d outer iterations%n", NAME,
        data.train().size(), recipe.data().trainViews(), recipe.ssdnerf().training().iterations());
    out.flush();
    OrtBackend backend = new OrtBackend(BackendOptions.cpu(threads));
    List<SsdTrainer.Point> points = SsdTrainer.train(model, SsdTrainer.Schedule.SINGLE_STAGE, data.train(), backend,
        recipe.seed(), recipe.logEvery(), new PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8));
    try (MetricsLog log = new MetricsLog(dir.resolve("metrics.jsonl"), 0)) {
      for (SsdTrainer.Point p : points) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("render_mse", p.renderMse());
        values.put("diffusion_loss", p.diffusionLoss());
        values.put("norm", p.norm());
        values.put("seconds", p.seconds());
        log.write(p.iteration(), values);
      }
    }
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("recipe", json.toString());
    provenance.put("seed", Long.toString(recipe.seed()));
    provenance.put("step", Integer.toString(recipe.ssdnerf().training().iterations()));
    provenance.put("source_commit", commit);
    provenance.put("data_name", identity.name());
    provenance.put("data_sha256", identity.sha256());
    SsdNerfExport.write(model, recipe.data(), provenance, dir);
    out.printf(Locale.ROOT, "%s: exported %s and %s to %s%n", NAME, SsdNerfExport.DECODER, SsdNerfExport.DENOISER, dir);
  }

  /** PSNR and SSIM of 1-view reconstruction of {@code scenes} unseen scenes with the model exported in {@code dir}. */
  public static Map<String, Double> evaluate(Path dir, int scenes, long seed, int threads) throws IOException {
    if (scenes < 1 || scenes > 64) {
      throw new IllegalArgumentException("--scenes must be in 1..64, got " + scenes);
    }
    SsdNerf model = SsdNerfExport.load(dir);
    List<SceneViews> unseen = MultiViewDataset.validation(SsdNerfExport.data(dir), scenes);
    OrtBackend backend = new OrtBackend(BackendOptions.cpu(threads));
    GuidedReconstruction.Result r = GuidedReconstruction.reconstruct(model, unseen, 1, backend, seed);
    HeldOutEvaluation e = HeldOutEvaluation.of(model, r.finetuned(), unseen, backend);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("psnr_1view", e.psnr());
    m.put("ssim_1view", e.ssim());
    return m;
  }

  private static String need(Map<String, String> o, String name) {
    String v = o.get(name);
    if (v == null) {
      throw new IllegalArgumentException("option " + name + " is required");
    }
    return v;
  }

  private static int integer(Map<String, String> o, String name, int fallback) {
    String v = o.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + name + " must be an integer, got `" + v + "`", e);
    }
  }

  /** Training's progress lines, passed on to the tool's output writer. */
  private static final class WriterStream extends java.io.OutputStream {
    private final PrintWriter out;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterStream(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      if (b == '\n') {
        out.println(line.toString(StandardCharsets.UTF_8));
        out.flush();
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
