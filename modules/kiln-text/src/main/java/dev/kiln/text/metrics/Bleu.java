package dev.kiln.text.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU-4 (Papineni et al. 2002) over whitespace tokens: the geometric mean of clipped n-gram
 * precisions, n = 1..4, times the brevity penalty {@code min(1, exp(1 − r/c))}, r the reference length
 * closest to the candidate's. The corpus score pools counts over all pairs; the sentence score
 * replaces a zero n-gram match count by 0.1 (Chen and Cherry 2014, method 1), so short texts do not
 * all score 0. Scores are in [0, 100].
 */
public final class Bleu {

  private static final int N = 4;

  private Bleu() {}

  /** Corpus BLEU of candidates against one reference each. */
  public static double corpus(List<String> candidates, List<String> references) {
    if (candidates.size() != references.size()) {
      throw new IllegalArgumentException(candidates.size() + " candidates for " + references.size() + " references");
    }
    long[] match = new long[N];
    long[] total = new long[N];
    long c = 0;
    long r = 0;
    for (int i = 0; i < candidates.size(); i++) {
      String[] cand = words(candidates.get(i));
      String[] ref = words(references.get(i));
      c += cand.length;
      r += ref.length;
      for (int n = 1; n <= N; n++) {
        Map<String, Integer> refCounts = counts(ref, n);
        match[n - 1] += clipped(counts(cand, n), List.of(refCounts));
        total[n - 1] += Math.max(0, cand.length - n + 1);
      }
    }
    return score(match, total, c, r, false);
  }

  /** Sentence BLEU of one candidate against several references (smoothed). */
  public static double sentence(String candidate, List<String> references) {
    String[] cand = words(candidate);
    long[] match = new long[N];
    long[] total = new long[N];
    for (int n = 1; n <= N; n++) {
      List<Map<String, Integer>> refs = new java.util.ArrayList<>();
      for (String ref : references) {
        refs.add(counts(words(ref), n));
      }
      match[n - 1] = clipped(counts(cand, n), refs);
      total[n - 1] = Math.max(0, cand.length - n + 1);
    }
    long closest = Long.MAX_VALUE;
    for (String ref : references) {
      long len = words(ref).length;
      if (Math.abs(len - cand.length) < Math.abs(closest - cand.length)
          || (Math.abs(len - cand.length) == Math.abs(closest - cand.length) && len < closest)) {
        closest = len;
      }
    }
    return score(match, total, cand.length, closest, true);
  }

  /**
   * Self-BLEU (Zhu et al. 2018): the mean sentence BLEU of each text against all the others; high
   * when the texts repeat one another.
   */
  public static double self(List<String> texts) {
    double sum = 0;
    for (int i = 0; i < texts.size(); i++) {
      List<String> others = new java.util.ArrayList<>(texts);
      others.remove(i);
      sum += sentence(texts.get(i), others);
    }
    return texts.isEmpty() ? 0 : sum / texts.size();
  }

  private static double score(long[] match, long[] total, long c, long r, boolean smooth) {
    if (c == 0) {
      return 0;
    }
    double logP = 0;
    for (int n = 0; n < N; n++) {
      if (total[n] == 0) {
        return 0;
      }
      double m = match[n] == 0 ? (smooth ? 0.1 : 0) : match[n];
      if (m == 0) {
        return 0;
      }
      logP += Math.log(m / total[n]) / N;
    }
    double bp = c >= r ? 1 : Math.exp(1 - (double) r / c);
    return 100 * bp * Math.exp(logP);
  }

  private static long clipped(Map<String, Integer> cand, List<Map<String, Integer>> refs) {
    long m = 0;
    for (Map.Entry<String, Integer> e : cand.entrySet()) {
      int max = 0;
      for (Map<String, Integer> ref : refs) {
        max = Math.max(max, ref.getOrDefault(e.getKey(), 0));
      }
      m += Math.min(e.getValue(), max);
    }
    return m;
  }

  static String[] words(String text) {
    String t = text.trim();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  static Map<String, Integer> counts(String[] w, int n) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i + n <= w.length; i++) {
      m.merge(String.join(" ", java.util.Arrays.copyOfRange(w, i, i + n)), 1, Integer::sum);
    }
    return m;
  }
}
