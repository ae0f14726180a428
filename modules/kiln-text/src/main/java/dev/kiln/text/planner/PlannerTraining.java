package dev.kiln.text.planner;

import dev.kiln.graph.DType;
import dev.kiln.graph.Graph;
import dev.kiln.graph.Shape;
import dev.kiln.graph.Value;
import dev.kiln.inference.ForwardSession;
import dev.kiln.nn.Activation;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.runtime.Seeds;
import dev.kiln.runtime.Weights;
import dev.kiln.train.LrSchedule;
import dev.kiln.train.OptimizerConfig;
import dev.kiln.train.TrainGraph;
import dev.kiln.train.TrainStep;
import dev.kiln.train.Trainer;
import dev.kiln.train.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PLANNER's training stages, each a Kiln training run (metrics log and checkpoint in its own run
 * folder, batches drawn from (seed, step), so a run resumes and repeats exactly):
 * <ol>
 *   <li>{@link #trainEmbedder}: encoder and decoder together, {@code L = CE(x | z) + β·KL}, with
 *       z = μ + σ·ε read from a substitution-corrupted input and the clean paragraph as target;</li>
 *   <li>{@link #latents}: the frozen encoder's μ of the paragraphs, the diffusion data;</li>
 *   <li>{@link #trainDenoiser}: {@code L = mean(α(τ)²·(x₀ − x̂₀)²)}, τ ~ U[τ_min, τ_max];</li>
 *   <li>{@link #trainLanguageModel}: the baseline (and judge) decoder without latent, reading a control
 *       token first.</li>
 * </ol>
 */
public final class PlannerTraining {

  /** Decoder and encoder MLP non-linearity. */
  public static final Activation ACTIVATION = Activation.GELU;

  private PlannerTraining() {}

  /**
   * Steps, batch size, learning rate, and where a stage logs.
   *
   * @param steps optimiser steps
   * @param batch examples per step
   * @param lr peak learning rate (AdamW, linear warm-up then cosine decay)
   * @param runDir run folder (checkpoint, metrics.jsonl)
   * @param log progress lines, or null
   */
  public record Budget(long steps, int batch, double lr, Path runDir, PrintStream log) {}

  /** The embedder's training graph: encoder, reparametrised latent, decoder, CE + β·KL. */
  public static TrainGraph embedderGraph(PlannerConfig c, double klWeight) {
    Graph g = new Graph("planner_embedder");
    Value noisy = g.input("noisy", DType.INT64, Shape.batched("N", c.length()));
    Value tokens = g.input("tokens", DType.INT64, Shape.batched("N", c.length()));
    Value targets = g.input("targets", DType.INT64, Shape.batched("N", c.length()));
    Value mask = g.input("mask", g.floatType(), Shape.batched("N", c.length()));
    Value eps = g.input("eps", g.floatType(), Shape.batched("N", c.latents(), c.latentDim()));
    ParagraphEncoder.Latent lat = new ParagraphEncoder(c, ACTIVATION).apply(g, noisy);
    Value z = g.add(lat.mean(), g.mul(g.exp(g.mul(lat.logVariance(), 0.5)), eps));
    Value logits = new LatentPrefixDecoder(c, ACTIVATION).declare(g).logits(g, z, tokens);
    Value ce = maskedCrossEntropy(g, logits, targets, mask);
    Value kl = g.mul(g.sumAll(g.sub(g.sub(g.add(lat.logVariance(), 1.0), g.square(lat.mean())),
        g.exp(lat.logVariance()))), -0.5);
    Value loss = g.add(ce, g.mul(kl, klWeight));
    return TrainGraph.of(g, loss, Map.of("ce", ce, "kl", kl));
  }

  /** The language model's training graph: the decoder with k = 0, masked next-token cross-entropy. */
  public static TrainGraph languageModelGraph(PlannerConfig c) {
    PlannerConfig lm = c.withLatents(0);
    Graph g = new Graph("planner_lm");
    Value tokens = g.input("tokens", DType.INT64, Shape.batched("N", lm.length()));
    Value targets = g.input("targets", DType.INT64, Shape.batched("N", lm.length()));
    Value mask = g.input("mask", g.floatType(), Shape.batched("N", lm.length()));
    Value logits = new LatentPrefixDecoder(lm, ACTIVATION).declare(g).logits(g, null, tokens);
    return TrainGraph.of(g, maskedCrossEntropy(g, logits, targets, mask));
  }

  /** The denoiser's training graph: x_τ = α x₀ + σ ε, loss mean(α² (x₀ − x̂₀)²); output {@code x0hat}. */
  public static TrainGraph denoiserGraph(PlannerConfig c) {
    Graph g = new Graph("planner_denoiser");
    Value x0 = g.input("x0", g.floatType(), Shape.batched("N", c.latents(), c.latentDim()));
    Value eps = g.input("eps", g.floatType(), Shape.batched("N", c.latents(), c.latentDim()));
    Value alpha = g.input("alpha", g.floatType(), Shape.batched("N", 1, 1));
    Value sigma = g.input("sigma", g.floatType(), Shape.batched("N", 1, 1));
    LatentDenoiser den = new LatentDenoiser(c, ACTIVATION, true);
    Map<String, Value> in = new LinkedHashMap<>();
    in.put("x", g.add(g.mul(alpha, x0), g.mul(sigma, eps)));
    in.put("t", g.input("t", g.floatType(), Shape.batched("N")));
    in.put("label", g.input("label", DType.INT64, Shape.batched("N")));
    if (c.prefixLength() > 0) {
      in.put("prefix", g.input("prefix", DType.INT64, Shape.batched("N", c.prefixLength())));
    }
    Value x0hat = den.apply(g, in);
    g.output("x0hat", x0hat);
    Value loss = g.meanAll(g.mul(g.square(alpha), g.square(g.sub(x0, x0hat))));
    return TrainGraph.of(g, loss);
  }

  /** −(Σ mask·log p(target)) / Σ mask over [N, L]. */
  static Value maskedCrossEntropy(Graph g, Value logits, Value targets, Value mask) {
    Value picked = g.squeeze(g.gatherElements(g.logSoftmax(logits, -1), g.unsqueeze(targets, 2), 2), 2);
    return g.neg(g.div(g.sumAll(g.mul(picked, mask)), g.sumAll(mask)));
  }

  /**
   * Trains the encoder and decoder on {@code data.whole()}; each step draws a batch, corrupts the
   * encoder's input with substitution probability {@code noise}, replaces each of the decoder's input
   * tokens by {@code <unk>} with probability {@code wordDropout} (the targets stay clean) and draws ε.
   * Word dropout weakens the decoder's own context so that it has to read the latent (Bowman et al.,
   * arXiv 1511.06349); 0 is the released PLANNER code's setting.
   */
  public static Trainer.Result trainEmbedder(OrtBackend backend, PlannerConfig c, PlannerText text, PlannerData data,
      double noise, double wordDropout, double klWeight, Budget b, long seed) throws IOException {
    TrainGraph tg = embedderGraph(c, klWeight);
    int len = c.length();
    int latent = c.latents() * c.latentDim();
    Trainer.BatchSource fill = (step, feeds) -> {
      SplittableRandom rng = Seeds.rng(seed, "planner-embedder", step);
      for (int n = 0; n < b.batch(); n++) {
        int[] row = data.whole()[rng.nextInt(data.size())];
        int[] corrupted = noise > 0 ? text.substitute(row, noise, rng) : row;
        int[] in = PlannerText.shiftRight(row, PlannerText.BOS);
        if (wordDropout > 0) {
          in = text.dropWords(in, wordDropout, rng);
        }
        for (int i = 0; i < len; i++) {
          feeds.get("noisy").set(n * len + i, corrupted[i]);
          feeds.get("tokens").set(n * len + i, in[i]);
          feeds.get("targets").set(n * len + i, row[i]);
          feeds.get("mask").set(n * len + i, row[i] == PlannerText.PAD ? 0 : 1);
        }
        for (int j = 0; j < latent; j++) {
          feeds.get("eps").set(n * latent + j, rng.nextGaussian());
        }
      }
    };
    return fit(backend, tg, b, seed, fill, 0, "embedder");
  }

  /**
   * Trains the plain language model on {@code rows}: input {@code [control, row…]}, the control token
   * the row's class, or "no class" with probability {@code dropLabel} (always, with 1).
   */
  public static Trainer.Result trainLanguageModel(OrtBackend backend, PlannerConfig c, PlannerText text,
      int[][] rows, int[] labels, double dropLabel, Budget b, long seed) throws IOException {
    TrainGraph tg = languageModelGraph(c);
    int len = c.length();
    Trainer.BatchSource fill = (step, feeds) -> {
      SplittableRandom rng = Seeds.rng(seed, "planner-lm", step);
      for (int n = 0; n < b.batch(); n++) {
        int i = rng.nextInt(rows.length);
        int[] row = rows[i];
        int control = text.control(rng.nextDouble() < dropLabel ? c.classes() : labels[i]);
        int[] in = PlannerText.shiftRight(row, control);
        for (int j = 0; j < len; j++) {
          feeds.get("tokens").set(n * len + j, in[j]);
          feeds.get("targets").set(n * len + j, row[j]);
          feeds.get("mask").set(n * len + j, row[j] == PlannerText.PAD ? 0 : 1);
        }
      }
    };
    return fit(backend, tg, b, seed, fill, 0, "language model");
  }

  /**
   * Trains the denoiser (EMA 0.999) on latents: with probability 1/2 an example is a completion (the
   * prefix as condition, the continuation's latent as x₀), otherwise a whole paragraph without
   * prefix; the label is dropped with probability {@code dropLabel} for classifier-free guidance.
   *
   * @param whole latents of the whole paragraphs [n·k·h]
   * @param continuation latents of the continuations [n·k·h]
   */
  public static Trainer.Result trainDenoiser(OrtBackend backend, PlannerConfig c, PlannerData data, float[] whole,
      float[] continuation, double dropLabel, Budget b, long seed) throws IOException {
    TrainGraph tg = denoiserGraph(c);
    int latent = c.latents() * c.latentDim();
    int lp = c.prefixLength();
    Trainer.BatchSource fill = (step, feeds) -> {
      SplittableRandom rng = Seeds.rng(seed, "planner-denoiser", step);
      for (int n = 0; n < b.batch(); n++) {
        int i = rng.nextInt(data.size());
        boolean completion = lp > 0 && rng.nextBoolean();
        float[] src = completion ? continuation : whole;
        for (int j = 0; j < latent; j++) {
          feeds.get("x0").set(n * latent + j, src[i * latent + j]);
          feeds.get("eps").set(n * latent + j, rng.nextGaussian());
        }
        double tau = CosineLatentSchedule.T_MIN + rng.nextDouble() * (CosineLatentSchedule.T_MAX
            - CosineLatentSchedule.T_MIN);
        feeds.get("alpha").set(n, CosineLatentSchedule.alpha(tau));
        feeds.get("sigma").set(n, CosineLatentSchedule.sigma(tau));
        feeds.get("t").set(n, CosineLatentSchedule.timestep(tau));
        feeds.get("label").set(n, rng.nextDouble() < dropLabel ? c.classes() : data.labels()[i]);
        if (lp > 0) {
          for (int j = 0; j < lp; j++) {
            feeds.get("prefix").set(n * lp + j, completion ? data.prefix()[i][j] : PlannerText.PAD);
          }
        }
      }
    };
    return fit(backend, tg, b, seed, fill, 0.999, "denoiser");
  }

  private static Trainer.Result fit(OrtBackend backend, TrainGraph tg, Budget b, long seed,
      Trainer.BatchSource fill, double ema, String label) throws IOException {
    Weights init = Weights.initialize(tg.graph(), seed);
    try (TrainStep step = TrainStep.compile(tg, backend, Map.of("N", (long) b.batch()), init)) {
      TrainerConfig tc = TrainerConfig.steps(b.steps()).withClipGradNorm(1.0)
          .withLogEvery((int) Math.max(1, Math.min(50, b.steps() / 10)));
      if (ema > 0) {
        tc = tc.withEma(ema);
      }
      Trainer trainer = new Trainer(step, OptimizerConfig.adamw(b.lr(), 0.01),
          LrSchedule.cosine((int) Math.min(100, b.steps() / 10), 0.1), tc, fill, b.runDir(), seed,
          Map.of("stage", label));
      trainer.progress(b.log(), label);
      return trainer.fit();
    }
  }

  /** The frozen encoder's μ of every row, [rows·k·h] in row order. */
  public static float[] latents(OrtBackend backend, PlannerConfig c, Weights weights, int[][] rows) {
    try (ForwardSession s = ForwardSession.compile(encoderGraph(c), backend, weights, "mean")) {
      return Planner.encode(s::run, c, rows);
    }
  }

  /** The exported encoder: {@code tokens} [N, L] → {@code mean}, {@code log_variance} [N, k, h]. */
  public static Graph encoderGraph(PlannerConfig c) {
    Graph g = new Graph("planner_encoder");
    Value tokens = g.input("tokens", DType.INT64, Shape.batched("N", c.length()));
    ParagraphEncoder.Latent lat = new ParagraphEncoder(c, ACTIVATION).apply(g, tokens);
    g.output("mean", lat.mean());
    g.output("log_variance", lat.logVariance());
    return g;
  }
}
