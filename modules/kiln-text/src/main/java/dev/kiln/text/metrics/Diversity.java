package dev.kiln.text.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Repetition and diversity of a set of generated texts over whitespace tokens, as PLANNER's
 * evaluation computes them: distinct-n = distinct n-grams / all n-grams pooled over the set,
 * unigram entropy (nats) of the pooled counts, corpus repetition {@code Rep-4 = 1 − distinct-4}, and
 * the per-sample repetition of Welleck et al. (arXiv 1908.04319), the mean over texts of
 * {@code 1 − unique 4-grams / 4-grams} (texts with no 4-gram are skipped).
 *
 * @param distinct1 distinct unigrams / unigrams
 * @param distinct2 distinct bigrams / bigrams
 * @param distinct4 distinct 4-grams / 4-grams
 * @param entropy1 entropy of the pooled unigram distribution (nats)
 * @param corpusRep4 1 − distinct-4
 * @param sampleRep4 mean per-text 4-gram repetition
 * @param meanWords mean words per text
 */
public record Diversity(double distinct1, double distinct2, double distinct4, double entropy1, double corpusRep4,
    double sampleRep4, double meanWords) {

  /** The measures of {@code texts}. */
  public static Diversity of(List<String> texts) {
    double d1 = distinct(texts, 1);
    double d2 = distinct(texts, 2);
    double d4 = distinct(texts, 4);
    Map<String, Integer> uni = new java.util.HashMap<>();
    long words = 0;
    double sampleRep = 0;
    int withFour = 0;
    for (String t : texts) {
      String[] w = Bleu.words(t);
      words += w.length;
      Bleu.counts(w, 1).forEach((k, v) -> uni.merge(k, v, Integer::sum));
      int four = w.length - 3;
      if (four > 0) {
        sampleRep += 1 - (double) Bleu.counts(w, 4).size() / four;
        withFour++;
      }
    }
    double entropy = 0;
    for (int c : uni.values()) {
      double p = (double) c / words;
      entropy -= p * Math.log(p);
    }
    return new Diversity(d1, d2, d4, entropy, 1 - d4, withFour == 0 ? 0 : sampleRep / withFour,
        texts.isEmpty() ? 0 : (double) words / texts.size());
  }

  private static double distinct(List<String> texts, int n) {
    Set<String> seen = new HashSet<>();
    long total = 0;
    for (String t : texts) {
      String[] w = Bleu.words(t);
      for (int i = 0; i + n <= w.length; i++) {
        seen.add(String.join(" ", java.util.Arrays.copyOfRange(w, i, i + n)));
        total++;
      }
    }
    return total == 0 ? 0 : (double) seen.size() / total;
  }
}
