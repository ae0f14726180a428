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
import dev.kiln.transformers.model.VitProvider;
import dev.kiln.transformers.tasks.PonderClassificationTaskProvider;
import dev.kiln.train.Recipe;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainingRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The σReparam learning-rate sweep (arXiv 2303.06296, the claim of §1 and the abstract): transformers
 * trained at a constant learning rate, <b>no warm-up</b>, no weight decay and no clipping, in three
 * variants: post-LN, pre-LN, and σReparam on every linear layer ({@code Ŵ = γ/σ(W)·W}, vision
 * initialisation W ~ trunc_normal_(0.02), γ₀ = σ(W₀)) with every LayerNorm removed. Three arms:
 * <ul>
 *   <li>{@code lm-adam}: a causal character-level LM (4 layers, width 64, 4 heads, MLP 256, context 64,
 *       batch 32) on Kiln's own sources, Adam;</li>
 *   <li>{@code lm-sgd}: the same LM with SGD and momentum 0.9 (the paper trains σReparam without
 *       adaptive optimisers), at learning rates 10× those of Adam;</li>
 *   <li>{@code vit-adam}: kiln-transformers' ViT (4 blocks, width 64, 16 patches of 7×7) on MNIST digits,
 *       Adam.</li>
 * </ul>
 * Every run is repeated over 3 seeds (or {@code --seeds}). The LM runs log their loss and the normalised
 * attention entropy of every layer ({@code Ent/log T}) every 20 steps and end with held-out bits per
 * character; the ViT runs log their loss and end with the test error. Runs whose loss becomes NaN or
 * infinite are stopped and counted as diverged. A run folder holding a finished run of the same recipe
 * is read, not trained again; several processes started on the same output folder share the runs
 * (each claims a run before training it, and waits for the runs the others hold), and each writes
 * {@code results.json}, {@code summary.md} and PNG plots to the output folder; {@code --quick} runs every
 * arm and variant at its largest learning rate for a few steps. Report:
 * {@code docs/reproductions/sigma-reparam.md}.
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

  /**
   * One arm of the sweep: a model, a task and an optimiser, over the variants and learning rates.
   *
   * @param id file-name-safe id ({@code lm-adam}, {@code lm-sgd}, {@code vit-adam})
   * @param label table and plot label
   * @param vision whether the model is the ViT on MNIST (else the character LM)
   * @param optimizer optimiser (recipe spelling)
   * @param lrs learning rates swept
   */
  public record Arm(String id, String label, boolean vision, String optimizer, double[] lrs) {

    /** The measure a run ends with: held-out bits per character (LM) or test error (ViT). */
    public String measure() {
      return vision ? "test error" : "held-out bits/char";
    }
  }

  /** The compared variants. */
  public static final List<Variant> VARIANTS = List.of(
      new Variant("post-ln", "post-LN", "post", "none"),
      new Variant("pre-ln", "pre-LN", "pre", "none"),
      new Variant("sigma-reparam", "σReparam, no LN", "none", "vision"));

  /** Adam learning rates swept. */
  public static final double[] LRS = {1e-3, 3e-3, 1e-2, 3e-2, 1e-1};
  /** SGD learning rates swept: SGD needs larger steps than Adam's normalised ones. */
  public static final double[] SGD_LRS = {1e-2, 3e-2, 1e-1, 3e-1, 1};
  /** SGD momentum of the SGD arm. */
  public static final double MOMENTUM = 0.9;
  /** The arms, in the order they run. */
  public static final List<Arm> ARMS = List.of(new Arm("lm-adam", "char LM, Adam", false, "adam", LRS),
      new Arm("lm-sgd", "char LM, SGD + momentum 0.9", false, "sgd", SGD_LRS),
      new Arm("vit-adam", "ViT on MNIST, Adam", true, "adam", LRS));
  /** Steps per run. */
  public static final long STEPS = 500;
  /** Steps between logged points. */
  public static final int LOG_EVERY = 20;
  /** Seeds per learning rate unless {@code --seeds} says otherwise. */
  public static final int SEEDS = 3;
  static final int LAYERS = 4;
  /** How long a pass that found runs held by other processes waits before it looks again. */
  static final long WAIT_MILLIS = 10_000;
  /** The file by which a sweep process holds a run it is training. */
  static final String CLAIM = ".claim";

  @Override
  public String name() {
    return "sigma-reparam-lr-sweep";
  }

  @Override
  public String description() {
    return "σReparam vs post-LN/pre-LN transformers without warm-up: char LM (Adam, SGD + momentum) and ViT on"
        + " MNIST, LR sweep × 3 seeds, attention entropy";
  }

  @Override
  public void run(Context context) throws Exception {
    boolean quick = context.quick();
    long steps = quick ? 20 : STEPS;
    int logEvery = quick ? 10 : LOG_EVERY;
    int seeds = context.seeds() > 0 ? context.seeds() : (quick ? 1 : SEEDS);
    TrainingRun training = new TrainingRun(context.backend(), Map.of("char-lm", new CharLmTaskProvider(),
        "ponder-classification", new PonderClassificationTaskProvider()),
        Map.of("transformer-lm", new TransformerLmProvider(), "vit", new VitProvider()));
    List<SweepRun> runs;
    // a pass trains what nobody else trains; runs another process holds are waited for, then read
    for (int pass = 0; ; pass++) {
      runs = new ArrayList<>();
      boolean incomplete = false;
      // seed by seed, so that a sweep stopped early has compared every arm on the same seeds
      for (int seed = 0; seed < seeds; seed++) {
        for (Arm arm : ARMS) {
          double[] lrs = quick ? new double[] {arm.lrs()[arm.lrs().length - 1]} : arm.lrs();
          for (Variant v : VARIANTS) {
            for (double lr : lrs) {
              Path dir = context.outDir().resolve("runs").resolve(runName(arm, v, lr, seed));
              Recipe recipe = recipe(arm, v, lr, steps, logEvery, seed);
              boolean reused = finished(dir, recipe, steps);
              if (!reused) {
                if (!claim(dir)) {
                  if (pass == 0) {
                    context.log().printf(Locale.ROOT, "%s, %s lr %.0e seed %d: trained by another worker%n",
                        arm.label(), v.label(), lr, seed);
                  }
                  incomplete = true;
                  continue;
                }
                try {
                  Files.deleteIfExists(dir.resolve(Trainer.CHECKPOINT));
                  Files.deleteIfExists(dir.resolve(Trainer.METRICS));
                  training.train(recipe, dir, null);
                } finally {
                  Files.deleteIfExists(dir.resolve(CLAIM));
                }
              }
              SweepRun run = read(arm, v.id(), lr, seed, dir.resolve(Trainer.METRICS));
              runs.add(run);
              context.log().printf(Locale.ROOT, "%s, %s lr %.0e seed %d: %s after %d steps, final loss %.4f,"
                  + " %s %.3f, min entropy %.3f (%.0f s)%s%n", arm.label(), v.label(), lr, seed,
                  run.diverged() ? "DIVERGED" : "done", run.stepsRun(), run.finalLoss(), arm.measure(),
                  run.heldOut(), run.minEntropy(), run.seconds(), reused ? ", finished earlier" : "");
            }
          }
        }
      }
      if (!incomplete) {
        break;
      }
      context.log().println("waiting for the runs other sweep processes are training");
      Thread.sleep(WAIT_MILLIS);
    }
    double unigram = CharCorpus.named(CharCorpus.KILN_SOURCES).unigramBitsPerChar();
    writeResults(context.outDir().resolve("results.json"), runs, unigram, steps);
    SweepReport.write(context.outDir(), runs, VARIANTS, ARMS, unigram);
  }

  /**
   * Claims {@code dir} for this process, so that several sweep processes started on the same output
   * folder divide the runs between them: a claim file holding the process id is created atomically;
   * a claim whose process is gone is taken over.
   *
   * @return whether this process may train the run
   */
  static boolean claim(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(CLAIM);
    String self = Long.toString(ProcessHandle.current().pid());
    try {
      Files.writeString(file, self, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException held) {
      String owner;
      try {
        owner = Files.readString(file, StandardCharsets.US_ASCII).trim();
      } catch (NoSuchFileException released) {
        return claim(dir);
      }
      boolean alive = !owner.equals(self) && owner.matches("[0-9]{1,19}")
          && ProcessHandle.of(Long.parseLong(owner)).map(ProcessHandle::isAlive).orElse(false);
      if (alive) {
        return false;
      }
      Files.deleteIfExists(file);
      return claim(dir);
    }
  }

  static String runName(Arm arm, Variant v, double lr, int seed) {
    return String.format(Locale.ROOT, "%s-%s-lr%.0e-seed%d", arm.id(), v.id(), lr, seed);
  }

  /** The recipe of one run. */
  public static Recipe recipe(Arm arm, Variant v, double lr, long steps, int logEvery, long seed) {
    String optimizer = arm.optimizer().equals("sgd")
        ? String.format(Locale.ROOT, "{\"type\": \"sgd\", \"lr\": %s, \"momentum\": %s, \"weight_decay\": 0.0}",
            Double.toString(lr), Double.toString(MOMENTUM))
        : String.format(Locale.ROOT, "{\"type\": \"%s\", \"lr\": %s, \"weight_decay\": 0.0}", arm.optimizer(),
            Double.toString(lr));
    String model = arm.vision()
        ? String.format(Locale.ROOT, """
            "task": {"type": "ponder-classification", "data": "mnist", "batch_size": 64, "ponder_weight": 0.0},
            "architecture": {"type": "vit", "dim": 64, "heads": 4, "ffn": 128, "depth": %d, "norm": "%s",
                             "sigma_reparam": "%s"},""", LAYERS, v.norm(), v.sigmaReparam())
        : String.format(Locale.ROOT, """
            "task": {"type": "char-lm", "corpus": "kiln-sources", "batch_size": 32, "context_length": 64,
                     "eval_windows": 256},
            "architecture": {"type": "transformer-lm", "context_length": 64, "layers": %d, "dim": 64, "heads": 4,
                             "mlp_ratio": 4, "norm": "%s", "sigma_reparam": "%s", "activation": "gelu"},""",
            LAYERS, v.norm(), v.sigmaReparam());
    String json = String.format(Locale.ROOT, """
        {
          "name": "%s",
          "seed": %d,
          %s
          "optimizer": %s,
          "schedule": {"type": "constant"},
          "trainer": {"steps": %d, "log_every": %d}
        }""", runName(arm, v, lr, (int) seed), seed, model, optimizer, steps, logEvery);
    return Recipe.parse(json, "sigma-reparam-lr-sweep " + arm.id() + " " + v.id() + " lr " + lr);
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
      if (n != null && (n.has("diverged") || (n.path("step").asLong() == steps
          && (n.has("heldout_bpc") || n.has("test_accuracy"))))) {
        return true;
      }
    }
    return false;
  }

  /** A run's summary and curves from its metrics log. */
  static SweepRun read(Arm arm, String variant, double lr, long seed, Path metrics) throws IOException {
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
      if (n.has("test_accuracy")) {
        heldOut = 1 - n.get("test_accuracy").asDouble();
      }
      if (!n.has("loss") || !n.has("it_per_s")) {
        continue;
      }
      steps.add(n.get("step").asDouble());
      loss.add(n.get("loss").asDouble());
      seconds = n.get("step").asDouble() / n.get("it_per_s").asDouble();
      for (int l = 0; l < LAYERS; l++) {
        entropy.get(l).add(n.path("attn_entropy_norm/layer" + l).asDouble(Double.NaN));
      }
    }
    double[][] ent = new double[LAYERS][];
    double minEntropy = Double.NaN;
    for (int l = 0; l < LAYERS; l++) {
      ent[l] = entropy.get(l).stream().mapToDouble(Double::doubleValue).toArray();
      for (double e : ent[l]) {
        if (Double.isFinite(e)) {
          minEntropy = Double.isNaN(minEntropy) ? e : Math.min(minEntropy, e);
        }
      }
    }
    double finalLoss = diverged || loss.isEmpty() ? Double.NaN : loss.get(loss.size() - 1);
    return new SweepRun(arm.id(), variant, lr, seed, diverged, last, finalLoss, diverged ? Double.NaN : heldOut,
        minEntropy, seconds, steps.stream().mapToDouble(Double::doubleValue).toArray(),
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
      o.put("arm", r.arm());
      o.put("variant", r.variant());
      o.put("lr", r.lr());
      o.put("seed", r.seed());
      o.put("diverged", r.diverged());
      o.put("steps_run", r.stepsRun());
      o.put("final_loss", r.finalLoss());
      o.put("heldout", r.heldOut());
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
