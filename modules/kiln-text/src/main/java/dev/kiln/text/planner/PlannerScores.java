package dev.kiln.text.planner;

import dev.kiln.text.corpus.SotuParagraphs;
import dev.kiln.text.metrics.Bleu;
import dev.kiln.text.metrics.Diversity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The held-out measures of an exported PLANNER folder that its zoo card carries, both through the
 * exported files: the embedder's reconstruction BLEU-4 on the first {@code n} test paragraphs (encode,
 * then decode the mean latent greedily; references are the paragraphs as the model reads them), and the
 * diversity of {@code n} paragraphs {@code kiln generate DIR -n n --seed S} writes (no attribute, 20
 * DDIM steps): distinct-2, corpus and per-sample Rep-4, and self-BLEU. The decoder's cross-entropy of
 * the paragraphs after their own latents and after the next paragraph's says how much of the
 * reconstruction comes from the latent.
 */
public final class PlannerScores {

  /** DDIM steps of the generated paragraphs ({@code kiln generate}'s default). */
  public static final int STEPS = 20;

  private PlannerScores() {}

  /**
   * {@code bleu_reconstruction}, {@code bleu_robust_30} (the encoder reads the paragraphs with 30 % of
   * their tokens substituted, the study's draw), {@code decoder_ce_own_latent}, {@code decoder_ce_other_latent},
   * {@code distinct_2}, {@code rep_4}, {@code sample_rep_4}, {@code self_bleu}.
   */
  public static Map<String, Double> heldOut(Planner planner, List<SotuParagraphs.Paragraph> test, int n, long seed) {
    PlannerConfig c = planner.config();
    PlannerText text = planner.text();
    int[][] rows = Arrays.copyOf(PlannerData.of(test, text, c.prefixLength()).whole(), Math.min(n, test.size()));
    List<String> refs = Arrays.stream(rows).map(r -> text.decode(PlannerText.content(r))).toList();
    float[] mu = planner.encode(rows);
    int latent = c.latents() * c.latentDim();
    List<String> decoded = decodeAll(planner, mu, rows.length);
    List<String> robust = decodeAll(planner, planner.encode(substituted(text, rows)), rows.length);
    float[] other = nextParagraphs(mu, rows.length, latent);
    List<String> generated = planner.generate(n, c.classes(), null, 1, STEPS, seed);
    Diversity d = Diversity.of(generated);
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("bleu_reconstruction", Bleu.corpus(decoded, refs));
    out.put("bleu_robust_30", Bleu.corpus(robust, refs));
    out.put("decoder_ce_own_latent", planner.crossEntropy(mu, rows));
    out.put("decoder_ce_other_latent", planner.crossEntropy(other, rows));
    out.put("distinct_2", d.distinct2());
    out.put("rep_4", d.corpusRep4());
    out.put("sample_rep_4", d.sampleRep4());
    out.put("self_bleu", Bleu.self(generated));
    return out;
  }

  /** The robustness measure's inputs: {@code rows} with 30 % of their text tokens substituted (seed 1). */
  public static int[][] substituted(PlannerText text, int[][] rows) {
    SplittableRandom rng = new SplittableRandom(1);
    return Arrays.stream(rows).map(row -> text.substitute(row, 0.3, rng)).toArray(int[][]::new);
  }

  /**
   * Latents [n·k·h] with each row's replaced by the next row's (the last by the first): what the decoder
   * reads when it is handed another paragraph's latent.
   */
  public static float[] nextParagraphs(float[] latents, int n, int latent) {
    float[] out = new float[n * latent];
    for (int i = 0; i < n; i++) {
      System.arraycopy(latents, ((i + 1) % n) * latent, out, i * latent, latent);
    }
    return out;
  }

  /** Greedy decodes of the first {@code n} latents [n·k·h] as text, 64 a batch. */
  public static List<String> decodeAll(Planner planner, float[] latents, int n) {
    List<String> out = new ArrayList<>();
    int latent = planner.config().latents() * planner.config().latentDim();
    for (int from = 0; from < n; from += 64) {
      int b = Math.min(64, n - from);
      for (int[] t : planner.decode(Arrays.copyOfRange(latents, from * latent, (from + b) * latent), b)) {
        out.add(planner.text().decode(t));
      }
    }
    return out;
  }
}
