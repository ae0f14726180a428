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
import dev.kiln.train.ToolArguments;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.spi.ToolProvider;

/**
 * SSDNeRF trained, exported and measured from the command line, found at run time as the
 * {@code kiln-ssdnerf} {@link ToolProvider} ({@code kiln ssdnerf}; {@code kiln zoo} trains and verifies
 * the zoo's SSDNeRF through it, with the contract every method tool keeps):
 *
 * <pre>
 *   train    --config RECIPE.json [--seed N] --output DIR [--threads N]
 *   export   --model DIR --output DIR
 *   evaluate --onnx DIR [--count N] [--seed N] [--threads N] [--metrics FILE.json]
 * </pre>
 *
 * {@code train} trains single-stage SSDNeRF ({@link SsdTrainer}) as an {@link SsdNerfRecipe} says
 * ({@code --seed} replaces the recipe's seed) and writes {@code config.json} (the recipe it trained),
 * {@code metrics.jsonl} and the exported {@code decoder.onnx} and {@code denoiser.onnx}
 * ({@link SsdNerfExport}, provenance in their metadata) into DIR; {@code export} copies those two files
 * from a run into another folder. {@code evaluate} reconstructs N unseen scenes (the first N after the
 * training and test splits of the model's dataset, {@link MultiViewDataset#validation}) from one input
 * view with the exported model, by guided sampling and the finetune, and reports the PSNR and SSIM at
 * their eight held-out views ({@code psnr_1view}, {@code ssim_1view}). Mistakes are thrown as
 * {@link IllegalArgumentException} or {@link UncheckedIOException} naming the file, option and value.
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
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.println("usage: kiln ssdnerf train --config RECIPE.json [--seed N] --output DIR [--threads N]");
      out.println("       kiln ssdnerf export --model DIR --output DIR");
      out.println("       kiln ssdnerf evaluate --onnx DIR [--count N] [--seed N] [--threads N] [--metrics FILE.json]");
      out.flush();
      return args.length == 0 ? 2 : 0;
    }
    ToolArguments o = ToolArguments.parse(args, 1, List.of("--config", "--seed", "--output", "--threads", "--model",
        "--onnx", "--count", "--metrics"), Set.of());
    try {
      switch (args[0]) {
        case "train" -> train(Path.of(o.required("--config")), o.has("--seed") ? o.integer("--seed", 0) : null,
            Path.of(o.required("--output")), (int) o.integer("--threads", 1), out);
        case "export" -> export(Path.of(o.required("--model")), Path.of(o.required("--output")), out);
        case "evaluate" -> o.report(evaluate(Path.of(o.required("--onnx")), (int) o.integer("--count", 4),
            o.integer("--seed", 0), (int) o.integer("--threads", 1)), out);
        default -> throw new IllegalArgumentException("unknown subcommand `" + args[0]
            + "`; use train, export or evaluate");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
    return 0;
  }

  /** Copies the exported files of the run {@code run} into {@code dir}. */
  public static void export(Path run, Path dir, PrintWriter out) throws IOException {
    Files.createDirectories(dir);
    for (String file : List.of(SsdNerfExport.DECODER, SsdNerfExport.DENOISER)) {
      Path from = run.resolve(file);
      if (!Files.isRegularFile(from)) {
        throw new java.nio.file.NoSuchFileException(from.toString(), null,
            "no exported model (run kiln ssdnerf train)");
      }
      AtomicFiles.write(dir.resolve(file), Files.readAllBytes(from));
    }
    out.printf(Locale.ROOT, "%s: %s and %s exported to %s%n", NAME, SsdNerfExport.DECODER, SsdNerfExport.DENOISER,
        dir);
  }

  /** Trains {@code recipeFile} ({@code seed} in place of its own, unless null) into {@code dir}, exported there. */
  public static void train(Path recipeFile, Long seed, Path dir, int threads, PrintWriter out) throws IOException {
    JsonNode json = Configs.readFile(recipeFile, "SSDNeRF recipe");
    if (seed != null) {
      if (!json.isObject()) {
        throw new IllegalArgumentException(recipeFile + ": an SSDNeRF recipe is a JSON object");
      }
      json = ((com.fasterxml.jackson.databind.node.ObjectNode) json.deepCopy()).put("seed", seed);
    }
    SsdNerfRecipe recipe;
    try {
      recipe = Configs.read(json, SsdNerfRecipe.class, recipeFile.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(recipeFile + ": " + e.getMessage(), e);
    }
    Files.createDirectories(dir);
    // what this run trained, as the zoo ships it beside the model files
    AtomicFiles.write(dir.resolve("config.json"), Configs.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(json));
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
      throw new IllegalArgumentException("--count must be in 1..64, got " + scenes);
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
