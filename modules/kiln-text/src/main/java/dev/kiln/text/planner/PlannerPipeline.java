package dev.kiln.text.planner;

import dev.kiln.graph.onnx.AtomicFiles;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Configs;
import dev.kiln.text.bpe.BpeTokenizer;
import dev.kiln.text.corpus.SotuParagraphs;
import dev.kiln.train.ModelProvenance;
import dev.kiln.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PLANNER trained end to end on the State of the Union paragraphs from a {@link PlannerRecipe} and a
 * seed: a BPE tokenizer on the training split, the paragraph embedder, the frozen encoder's latents,
 * the denoiser, then the exported model folder ({@link Planner#export}) with its provenance in every
 * file's metadata. Each stage is a Kiln training run under {@code runDir/runs/}, so a second call
 * resumes finished stages from their checkpoints; the same recipe and seed give the same weights.
 */
public final class PlannerPipeline {

  /** The exported model folder inside a run folder. */
  public static final String MODEL = "models/planner";
  /** The recipe a run was trained with, written in full into its folder. */
  public static final String CONFIG = "config.json";
  private static final String PROVENANCE = "provenance.json";

  private PlannerPipeline() {}

  /**
   * What a training produced.
   *
   * @param tokenizer the BPE tokenizer
   * @param text the tokenizer at the recipe's length and classes
   * @param train the training split as the models read it
   * @param embedder the embedder stage
   * @param denoiser the denoiser stage
   * @param model the exported model folder
   */
  public record Result(BpeTokenizer tokenizer, PlannerText text, PlannerData train, Trainer.Result embedder,
      Trainer.Result denoiser, Path model) {}

  /** Trains (or resumes) {@code recipe} with {@code seed} in {@code runDir} and exports the model. */
  public static Result train(PlannerRecipe recipe, long seed, OrtBackend backend, Path runDir, PrintStream log)
      throws IOException {
    Files.createDirectories(runDir);
    // The whole recipe, defaults included: what a zoo folder ships as the recipe of this run.
    AtomicFiles.write(runDir.resolve(CONFIG), Configs.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(Configs.toTree(recipe)));
    ModelProvenance provenance = provenance(runDir);
    SotuParagraphs corpus = SotuParagraphs.load();
    PlannerConfig c = recipe.model();
    List<String> texts = corpus.train().stream().map(SotuParagraphs.Paragraph::text).toList();
    log.println("planner: " + corpus.train().size() + " training paragraphs; training a BPE tokenizer of " + c.vocab());
    BpeTokenizer tok = BpeTokenizer.train(texts, c.vocab(), PlannerText.specials(c.classes()));
    PlannerText text = new PlannerText(tok, c.length(), c.classes());
    PlannerData train = PlannerData.of(corpus.train(), text, c.prefixLength());
    Trainer.Result emb = PlannerTraining.trainEmbedder(backend, c, text, train, recipe.noise(), recipe.wordDropout(),
        recipe.klWeight(),
        new PlannerTraining.Budget(recipe.embedderSteps(), recipe.batch(), recipe.embedderLr(),
            runDir.resolve("runs/embedder"), log), seed);
    float[] whole = PlannerTraining.latents(backend, c, emb.weights(), train.whole());
    float[] cont = PlannerTraining.latents(backend, c, emb.weights(), train.continuation());
    Trainer.Result den = PlannerTraining.trainDenoiser(backend, c, train, whole, cont, recipe.labelDrop(),
        new PlannerTraining.Budget(recipe.denoiserSteps(), recipe.denoiserBatch(), recipe.denoiserLr(),
            runDir.resolve("runs/denoiser"), log), seed);
    Map<String, String> meta = new LinkedHashMap<>(provenance.exportMetadata(Configs.toTree(recipe).toString(), seed,
        recipe.embedderSteps() + recipe.denoiserSteps()));
    meta.put("corpus", "sotu");
    Path model = runDir.resolve(MODEL);
    Planner.export(model, c, tok, emb.weights(), den.ema(), meta);
    return new Result(tok, text, train, emb, den, model);
  }

  /** The provenance recorded when training in {@code runDir} first started (recorded now if it has not). */
  private static ModelProvenance provenance(Path runDir) throws IOException {
    Path file = runDir.resolve(PROVENANCE);
    if (Files.isRegularFile(file)) {
      Map<String, String> m = new LinkedHashMap<>();
      Configs.readFile(file, "planner provenance").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
      return ModelProvenance.fromMetadata(m);
    }
    ModelProvenance p = ModelProvenance.startingNow(SotuParagraphs.identity());
    AtomicFiles.write(file, (Configs.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(
        p.checkpointMetadata()) + "\n").getBytes(StandardCharsets.UTF_8));
    return p;
  }
}
