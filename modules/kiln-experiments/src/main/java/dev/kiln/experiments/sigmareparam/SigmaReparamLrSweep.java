package dev.kiln.experiments.sigmareparam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import dev.kiln.text.CharCorpus;
import dev.kiln.text.CharLmTaskProvider;
import dev.kiln.text.lm.TransformerLmProvider;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The σReparam learning-rate sweep (arXiv 2303.06296, the claim of §1 and the abstract): a causal
 * character-level transformer LM (4 layers, width 64, 4 heads, MLP 256, context 64, batch 32) on
 * Kiln's own sources, trained with Adam at a constant learning rate, <b>no warm-up</b> and no weight
 * decay, in three variants: post-LN, pre-LN, and σReparam on every linear layer ({@code Ŵ = γ/σ(W)·W},
 * vision initialisation γ₀ = σ(W₀)) with every LayerNorm removed. Each run logs its loss and the
 * normalised attention entropy of every layer ({@code Ent/log T}) every 20 steps; runs whose loss
 * becomes NaN or infinite are stopped and counted as diverged. Writes {@code results.json},
 * {@code summary.md} and PNG plots to the output folder. Report: {@code docs/reproductions/sigma-reparam.md}.
 */
public final class SigmaReparamLrSweep implements Experiment {

  /**
   * One model variant.
   *
   * @param id file-name-safe id
   * @param label legend label
   * @param norm LayerNorm placement (recipe spelling)
   * @param sigmaReparam σReparam variant (recipe spelling)
   */
  public record Variant(String id, String label, String norm, String sigmaReparam) {}

  /** The compared variants. */
  public static final List<Variant> VARIANTS = List.of(
      new Variant("post-ln", "post-LN", "post", "none"),
      new Variant("pre-ln", "pre-LN", "pre", "none"),
      new Variant("sigma-reparam", "σReparam, no LN", "none", "vision"));

  /** Adam learning rates swept. */
  public static final double[] LRS = {1e-3, 3e-3, 1e-2, 3e-2, 1e-1};
  /** Steps per run. */
  public static final long STEPS = 500;
  /** Steps between logged points. */
  public static final int LOG_EVERY = 20;
  private static final int LAYERS = 4;

  @Override
  public String name() {
    return "sigma-reparam-lr-sweep";
  }

  @Override
  public String description() {
    return "σReparam vs post-LN/pre-LN char-LM transformers: Adam LR sweep without warm-up, attention entropy";
  }

  @Override
  public void run(Context context) throws Exception {
    boolean quick = context.quick();
    double[] lrs = quick ? new double[] {1e-3, 1e-1} : LRS;
    long steps = quick ? 20 : STEPS;
    int logEvery = quick ? 10 : LOG_EVERY;
    int seeds = context.seeds() > 0 ? context.seeds() : 1;
    TrainingRun training = new TrainingRun(context.backend(), Map.of("char-lm", new CharLmTaskProvider()),
        Map.of("transformer-lm", new TransformerLmProvider()));
    List<SweepRun> runs = new ArrayList<>();
    for (int seed = 0; seed < seeds; seed++) {
      for (Variant v : VARIANTS) {
        for (double lr : lrs) {
          Path dir = context.outDir().resolve("runs").resolve(runName(v, lr, seed));
          Recipe recipe = recipe(v, lr, steps, logEvery, seed);
          boolean reused = finished(dir, recipe, steps);
          if (!reused) {
            Files.deleteIfExists(dir.resolve(Trainer.CHECKPOINT));
            Files.deleteIfExists(dir.resolve(Trainer.METRICS));
            training.train(recipe, dir, null);
          }
          SweepRun run = read(v.id(), lr, seed, dir.resolve(Trainer.METRICS));
          runs.add(run);
          context.log().printf(Locale.ROOT, "%s lr %.0e seed %d: %s after %d steps, final loss %.4f, held-out %.3f"
              + " bits/char, min entropy %.3f (%.0f s)%s%n", v.label(), lr, seed, run.diverged() ? "DIVERGED" : "done",
              run.stepsRun(), run.finalLoss(), run.heldOutBpc(), run.minEntropy(), run.seconds(),
              reused ? ", finished earlier" : "");
        }
      }
    }
    double unigram = CharCorpus.named(CharCorpus.KILN_SOURCES).unigramBitsPerChar();
    writeResults(context.outDir().resolve("results.json"), runs, unigram, steps);
    SweepReport.write(context.outDir(), runs, VARIANTS, lrs, unigram);
  }

  static String runName(Variant v, double lr, int seed) {
    return String.format(Locale.ROOT, "%s-lr%.0e-seed%d", v.id(), lr, seed);
  }

  /** The recipe of one run. */
  public static Recipe recipe(Variant v, double lr, long steps, int logEvery, long seed) {
    String json = String.format(Locale.ROOT, """
        {
          "name": "%s",
          "seed": %d,
          "task": {"type": "char-lm", "corpus": "kiln-sources", "batch_size": 32, "context_length": 64,
                   "eval_windows": 256},
          "architecture": {"type": "transformer-lm", "context_length": 64, "layers": %d, "dim": 64, "heads": 4,
                           "mlp_ratio": 4, "norm": "%s", "sigma_reparam": "%s", "activation": "gelu"},
          "optimizer": {"type": "adam", "lr": %s, "weight_decay": 0.0},
          "schedule": {"type": "constant"},
          "trainer": {"steps": %d, "log_every": %d}
        }""", runName(v, lr, (int) seed), seed, LAYERS, v.norm(), v.sigmaReparam(), Double.toString(lr), steps,
        logEvery);
    return Recipe.parse(json, "sigma-reparam-lr-sweep " + v.id() + " lr " + lr);
  }

  /**
   * Whether {@code dir} holds a finished run of exactly {@code recipe} (same JSON): then the sweep
   * reads its metrics instead of training again. Delete the folder to train it anew.
   */
  static boolean finished(Path dir, Recipe recipe, long steps) throws IOException {
    Path saved = dir.resolve(TrainingRun.RECIPE);
    Path metrics = dir.resolve(Trainer.METRICS);
    if (!Files.exists(saved) || !Files.exists(metrics)
        || !Configs.mapper().readTree(Files.readString(saved)).equals(recipe.json())) {
      return false;
    }
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      JsonNode n = line.isBlank() ? null : Configs.mapper().readTree(line);
      if (n != null && (n.has("diverged") || (n.path("step").asLong() == steps && n.has("heldout_bpc")))) {
        return true;
      }
    }
    return false;
  }

  /** A run's summary and curves from its metrics log. */
  static SweepRun read(String variant, double lr, long seed, Path metrics) throws IOException {
    List<Double> steps = new ArrayList<>();
    List<Double> loss = new ArrayList<>();
    List<List<Double>> entropy = new ArrayList<>();
    for (int l = 0; l < LAYERS; l++) {
      entropy.add(new ArrayList<>());
    }
    double heldOut = Double.NaN;
    double seconds = 0;
    long last = 0;
    boolean diverged = false;
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = Configs.mapper().readTree(line);
      last = Math.max(last, n.path("step").asLong());
      diverged |= n.has("diverged");
      if (n.has("heldout_bpc")) {
        heldOut = n.get("heldout_bpc").asDouble();
      }
      if (!n.has("attn_entropy_norm/layer0")) {
        continue;
      }
      steps.add(n.get("step").asDouble());
      loss.add(n.get("loss").asDouble());
      seconds = n.get("step").asDouble() / n.get("it_per_s").asDouble();
      for (int l = 0; l < LAYERS; l++) {
        entropy.get(l).add(n.get("attn_entropy_norm/layer" + l).asDouble());
      }
    }
    double[][] ent = new double[LAYERS][];
    double minEntropy = Double.POSITIVE_INFINITY;
    for (int l = 0; l < LAYERS; l++) {
      ent[l] = entropy.get(l).stream().mapToDouble(Double::doubleValue).toArray();
      for (double e : ent[l]) {
        if (Double.isFinite(e)) {
          minEntropy = Math.min(minEntropy, e);
        }
      }
    }
    double finalLoss = diverged || loss.isEmpty() ? Double.NaN : loss.get(loss.size() - 1);
    return new SweepRun(variant, lr, seed, diverged, last, finalLoss, diverged ? Double.NaN : heldOut, minEntropy,
        seconds, steps.stream().mapToDouble(Double::doubleValue).toArray(),
        loss.stream().mapToDouble(Double::doubleValue).toArray(), ent);
  }

  private static void writeResults(Path file, List<SweepRun> runs, double unigram, long steps) throws IOException {
    ObjectNode root = Configs.mapper().createObjectNode();
    root.put("experiment", "sigma-reparam-lr-sweep");
    root.put("steps", steps);
    root.put("unigram_bpc", unigram);
    ArrayNode arr = root.putArray("runs");
    for (SweepRun r : runs) {
      ObjectNode o = arr.addObject();
      o.put("variant", r.variant());
      o.put("lr", r.lr());
      o.put("seed", r.seed());
      o.put("diverged", r.diverged());
      o.put("steps_run", r.stepsRun());
      o.put("final_loss", r.finalLoss());
      o.put("heldout_bpc", r.heldOutBpc());
      o.put("min_entropy", r.minEntropy());
      o.put("seconds", r.seconds());
      o.set("steps", doubles(r.steps()));
      o.set("loss", doubles(r.loss()));
      ArrayNode ent = o.putArray("entropy_norm");
      for (double[] layer : r.entropy()) {
        ent.add(doubles(layer));
      }
    }
    AtomicFiles.write(file, Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  private static ArrayNode doubles(double[] xs) {
    ArrayNode a = Configs.mapper().createArrayNode();
    for (double x : xs) {
      a.add(x);
    }
    return a;
  }
}
