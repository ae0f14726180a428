package dev.kiln.experiments.planner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.Weights;
import dev.kiln.spi.Configs;
import dev.kiln.spi.Experiment;
import dev.kiln.text.bpe.BpeTokenizer;
import dev.kiln.text.corpus.SotuParagraphs;
import dev.kiln.text.metrics.AttributeClassifier;
import dev.kiln.text.planner.LanguageModel;
import dev.kiln.text.planner.Planner;
import dev.kiln.text.planner.PlannerConfig;
import dev.kiln.text.planner.PlannerData;
import dev.kiln.text.planner.PlannerPipeline;
import dev.kiln.text.planner.PlannerRecipe;
import dev.kiln.text.planner.PlannerText;
import dev.kiln.text.planner.PlannerTraining;
import dev.kiln.train.Trainer;
import dev.kiln.viz.LinePlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PLANNER study (arXiv 2306.02531; report {@code docs/reproductions/planner.md}) on the State of
 * the Union paragraphs, era as the attribute. Trains a BPE tokenizer, the paragraph embedder
 * (substitution noise 0.3), the DiT planning module on its latents, the same decoder as a plain
 * language model with a control token (the baseline, same steps and batch as the embedder), a judge
 * language model with another seed on training and validation text, and a bag-of-words era classifier;
 * exports PLANNER and the baseline as ONNX model folders and evaluates them through those exported
 * models ({@link PlannerEvaluation}). Writes {@code results.json}, {@code table.md}, {@code samples.md},
 * {@code aubleu.png} and {@code training.png}. A second run into the same folder resumes the finished
 * stages from their checkpoints and only evaluates again.
 */
public final class PlannerExperiment implements Experiment {

  /**
   * The scale of one run.
   *
   * @param vocab BPE vocabulary
   * @param config network sizes
   * @param embedderSteps steps of the embedder and of each language model
   * @param denoiserSteps steps of the denoiser
   * @param batch embedder and language-model batch
   * @param denoiserBatch denoiser batch
   * @param perClass attribute-conditioned generations per class and seed
   * @param prompts completion prompts per seed
   * @param evalTexts test paragraphs for the embedder and AuBLEU measures
   * @param ddimSteps DDIM steps
   */
  record Settings(int vocab, PlannerConfig config, long embedderSteps, long denoiserSteps, int batch,
      int denoiserBatch, int perClass, int prompts, int evalTexts, int ddimSteps) {}

  static final Settings FULL = new Settings(1024,
      new PlannerConfig(1024, 40, 8, 32, 64, 2, 4, 96, 3, 4, 16, SotuParagraphs.ERAS), 8000, 3000, 32, 64, 32, 128,
      200, 20);
  static final Settings QUICK = new Settings(400,
      new PlannerConfig(400, 48, 4, 16, 32, 1, 2, 32, 1, 2, 16, SotuParagraphs.ERAS), 6, 6, 8, 8, 3, 6, 8, 4);

  /** Substitution probability of the embedder's inputs (the released code's default p). */
  static final double NOISE = 0.3;
  /**
   * Probability that a decoder input token is {@code <unk>} while the embedder trains. Not in the
   * released code, whose decoder is a pretrained GPT-2; a small decoder trained from scratch otherwise
   * learns to predict from its own context and leans on the latent far less (see the report's
   * embedder ablation).
   */
  static final double WORD_DROPOUT = 0.3;
  /** β of the summed KL (the released code's {@code h_noiser_ratio}). */
  static final double KL_WEIGHT = 1e-5;
  static final double LABEL_DROP = 0.1;

  @Override
  public String name() {
    return "planner";
  }

  @Override
  public String description() {
    return "PLANNER vs an autoregressive baseline on State of the Union paragraphs: embedder BLEU, AuBLEU,"
        + " diversity, repetition, judge perplexity, era accuracy, MAUVE, speed";
  }

  @Override
  public void run(Context ctx) throws Exception {
    study(ctx, ctx.outDir(), 0, 0, ctx.seeds() > 0 ? ctx.seeds() : 3);
  }

  /**
   * Trains every model with training seed {@code seed} into {@code out} (resuming finished stages),
   * evaluates with sampling seeds {@code firstSamplingSeed} … (+ {@code samplingSeeds} − 1) and writes
   * the results there; returns them.
   */
  static ObjectNode study(Context ctx, Path out, long seed, int firstSamplingSeed, int samplingSeeds)
      throws Exception {
    Settings s = ctx.quick() ? QUICK : FULL;
    Files.createDirectories(out);
    PlannerConfig c = s.config();
    PlannerRecipe recipe = new PlannerRecipe(c, s.embedderSteps(), s.denoiserSteps(), s.batch(), s.denoiserBatch(),
        5e-4, 3e-4, NOISE, WORD_DROPOUT, KL_WEIGHT, LABEL_DROP);
    PlannerPipeline.Result trained = PlannerPipeline.train(recipe, seed, ctx.backend(), out, ctx.log());
    SotuParagraphs corpus = SotuParagraphs.load();
    List<String> trainTexts = corpus.train().stream().map(SotuParagraphs.Paragraph::text).toList();
    BpeTokenizer tok = trained.tokenizer();
    PlannerText text = trained.text();
    PlannerData train = trained.train();
    PlannerData test = PlannerData.of(corpus.test(), text, c.prefixLength());
    Map<String, String> meta = Map.of("corpus", "sotu", "seed", Long.toString(seed));
    Trainer.Result emb = trained.embedder();
    Weights embW = emb.weights();
    Trainer.Result den = trained.denoiser();

    Trainer.Result lm = PlannerTraining.trainLanguageModel(ctx.backend(), c, text, train.whole(), train.labels(),
        LABEL_DROP, budget(s.embedderSteps(), s.batch(), 5e-4, out.resolve("runs/baseline-lm"), ctx), seed);
    LanguageModel.export(out.resolve("models/baseline-lm"), c, tok, lm.weights(), meta);

    List<SotuParagraphs.Paragraph> judgeText = new ArrayList<>(corpus.train());
    judgeText.addAll(corpus.validation());
    PlannerData judgeData = PlannerData.of(judgeText, text, c.prefixLength());
    Trainer.Result judge = PlannerTraining.trainLanguageModel(ctx.backend(), c, text, judgeData.whole(),
        judgeData.labels(), 1.0, budget(s.embedderSteps(), s.batch(), 5e-4, out.resolve("runs/judge-lm"), ctx),
        seed + 1000);
    LanguageModel.export(out.resolve("models/judge-lm"), c, tok, judge.weights(), Map.of("role", "judge"));

    AttributeClassifier classifier = AttributeClassifier.train(trainTexts, train.labels(), c.classes(), 5, seed);

    Map<String, Object> training = new LinkedHashMap<>();
    training.put("embedder_final_loss", lastLoss(out.resolve("runs/embedder")));
    training.put("denoiser_final_loss", lastLoss(out.resolve("runs/denoiser")));
    training.put("baseline_lm_final_loss", lastLoss(out.resolve("runs/baseline-lm")));
    training.put("judge_lm_final_loss", lastLoss(out.resolve("runs/judge-lm")));
    LinePlot.titled("Next-token cross-entropy while training").withLabels("step", "nats per token")
        .write(out.resolve("training.png"), curve("embedder decoder (reads the latent)", out.resolve("runs/embedder"),
            "ce"), curve("baseline LM (no latent)", out.resolve("runs/baseline-lm"), "loss"));
    if (!emb.alreadyFinished()) {
      training.put("embedder_steps_per_s", emb.stepsPerSecond());
      training.put("denoiser_steps_per_s", den.stepsPerSecond());
      training.put("baseline_lm_steps_per_s", lm.stepsPerSecond());
    }

    try (Planner planner = Planner.load(out.resolve("models/planner"), ctx.backend());
        LanguageModel baseline = LanguageModel.load(out.resolve("models/baseline-lm"), ctx.backend());
        LanguageModel judgeLm = LanguageModel.load(out.resolve("models/judge-lm"), ctx.backend())) {
      PlannerEvaluation eval = new PlannerEvaluation(planner, baseline, judgeLm, classifier, test, s, ctx.log());
      ObjectNode root = Configs.mapper().createObjectNode();
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("quick", ctx.quick());
      settings.put("seeds", samplingSeeds);
      settings.put("training_seed", seed);
      settings.put("first_sampling_seed", firstSamplingSeed);
      settings.put("vocab", s.vocab());
      settings.put("embedder_steps", s.embedderSteps());
      settings.put("denoiser_steps", s.denoiserSteps());
      settings.put("batch", s.batch());
      settings.put("denoiser_batch", s.denoiserBatch());
      settings.put("ddim_steps", s.ddimSteps());
      root.set("settings", Configs.mapper().valueToTree(settings));
      root.set("config", Configs.mapper().valueToTree(c));
      root.set("parameters", Configs.mapper().valueToTree(Map.of(
          "encoder", count(embW, "encoder."), "decoder", count(embW, "decoder."),
          "denoiser", count(den.ema(), "denoiser."), "baseline_lm", count(lm.weights(), ""))));
      root.set("training", Configs.mapper().valueToTree(training));
      root.put("classifier_test_accuracy", classifier.accuracy(test.texts(), test.labels()));
      eval.run(root, firstSamplingSeed, samplingSeeds, out);
      AtomicFiles.write(out.resolve("results.json"), Configs.mapper().writerWithDefaultPrettyPrinter()
          .writeValueAsBytes(root));
      ctx.log().println("planner: results in " + out.resolve("results.json"));
      return root;
    }
  }

  private static PlannerTraining.Budget budget(long steps, int batch, double lr, Path dir, Context ctx) {
    return new PlannerTraining.Budget(steps, batch, lr, dir, ctx.log());
  }

  /** A metric of a stage's log against the step. */
  private static LinePlot.Series curve(String name, Path runDir, String metric) throws java.io.IOException {
    List<double[]> points = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve(Trainer.METRICS))) {
      com.fasterxml.jackson.databind.JsonNode row = Configs.mapper().readTree(line);
      if (row.has(metric)) {
        points.add(new double[] {row.get("step").asDouble(), row.get(metric).asDouble()});
      }
    }
    return new LinePlot.Series(name, points.stream().mapToDouble(p -> p[0]).toArray(),
        points.stream().mapToDouble(p -> p[1]).toArray());
  }

  /** The last logged training loss of a stage (also when this process resumed a finished stage). */
  private static double lastLoss(Path runDir) throws java.io.IOException {
    double loss = Double.NaN;
    for (String line : Files.readAllLines(runDir.resolve(Trainer.METRICS))) {
      com.fasterxml.jackson.databind.JsonNode row = Configs.mapper().readTree(line);
      if (row.has("loss")) {
        loss = row.get("loss").asDouble();
      }
    }
    return loss;
  }

  private static long count(Weights w, String prefix) {
    return w.asMap().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue().size()).sum();
  }
}
