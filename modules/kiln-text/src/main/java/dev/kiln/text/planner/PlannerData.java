package dev.kiln.text.planner;

import dev.kiln.text.corpus.SotuParagraphs;
import java.util.Arrays;
import java.util.List;

/**
 * Paragraphs prepared for PLANNER's stages: each as a whole row, and split for completion into a
 * prefix (the first {@value #PREFIX_SHARE} of its words, at least one) and the continuation.
 *
 * @param whole rows of whole paragraphs [n][L]
 * @param continuation rows of the continuations [n][L]
 * @param prefix prefix tokens padded to the denoiser's prefix length [n][prefix_length]
 * @param prefixTokens the prefix tokens unpadded
 * @param labels attribute classes
 * @param texts the paragraphs' text
 * @param prefixTexts the prefixes' text
 * @param continuationTexts the continuations' text
 */
public record PlannerData(int[][] whole, int[][] continuation, int[][] prefix, int[][] prefixTokens, int[] labels,
    List<String> texts, List<String> prefixTexts, List<String> continuationTexts) {

  /** Share of a paragraph's words given as the completion prefix. */
  public static final double PREFIX_SHARE = 0.4;

  public PlannerData {
    texts = List.copyOf(texts);
    prefixTexts = List.copyOf(prefixTexts);
    continuationTexts = List.copyOf(continuationTexts);
  }

  /** Prepares {@code paragraphs} (their era is the label). */
  public static PlannerData of(List<SotuParagraphs.Paragraph> paragraphs, PlannerText text, int prefixLength) {
    int n = paragraphs.size();
    int[][] whole = new int[n][];
    int[][] cont = new int[n][];
    int[][] prefix = new int[n][];
    int[][] prefixTokens = new int[n][];
    int[] labels = new int[n];
    String[] texts = new String[n];
    String[] pre = new String[n];
    String[] post = new String[n];
    for (int i = 0; i < n; i++) {
      SotuParagraphs.Paragraph p = paragraphs.get(i);
      String[] words = p.text().split(" ");
      int cut = Math.max(1, (int) Math.round(PREFIX_SHARE * words.length));
      texts[i] = p.text();
      pre[i] = String.join(" ", Arrays.copyOfRange(words, 0, cut));
      post[i] = String.join(" ", Arrays.copyOfRange(words, cut, words.length));
      whole[i] = text.row(p.text());
      cont[i] = text.row(post[i]);
      int[] pt = text.tokenizer().encode(pre[i]);
      prefixTokens[i] = pt.length > prefixLength ? Arrays.copyOfRange(pt, pt.length - prefixLength, pt.length) : pt;
      prefix[i] = padded(prefixTokens[i], prefixLength);
      labels[i] = p.era();
    }
    return new PlannerData(whole, cont, prefix, prefixTokens, labels, List.of(texts), List.of(pre), List.of(post));
  }

  /** {@code tokens} followed by padding to {@code length} (the last tokens kept when longer). */
  public static int[] padded(int[] tokens, int length) {
    int[] out = new int[length];
    int n = Math.min(tokens.length, length);
    System.arraycopy(tokens, tokens.length - n, out, 0, n);
    return out;
  }

  public int size() {
    return labels.length;
  }

  /** The first {@code n} paragraphs. */
  public PlannerData head(int n) {
    int m = Math.min(n, size());
    return new PlannerData(Arrays.copyOf(whole, m), Arrays.copyOf(continuation, m), Arrays.copyOf(prefix, m),
        Arrays.copyOf(prefixTokens, m), Arrays.copyOf(labels, m), texts.subList(0, m), prefixTexts.subList(0, m),
        continuationTexts.subList(0, m));
  }
}
