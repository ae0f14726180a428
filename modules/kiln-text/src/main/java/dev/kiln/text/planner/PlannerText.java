package dev.kiln.text.planner;

import dev.kiln.text.bpe.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How PLANNER's networks see text: the special tokens, paragraphs as fixed-length rows of ids, and
 * the substitution noise of the embedder's inputs.
 *
 * <p>Ids 0..3 are {@code <pad>}, {@code <bos>}, {@code <eos>}, {@code <unk>}; then one control token
 * per attribute class, {@code <attr0>} …, and {@code <noattr>}, which the baseline language model
 * reads first. A paragraph row holds its tokens, {@code <eos>} and padding, L ids in all (longer
 * paragraphs are cut to L − 1 tokens).
 *
 * @param tokenizer the subword tokenizer
 * @param length L
 * @param classes attribute classes
 */
public record PlannerText(BpeTokenizer tokenizer, int length, int classes) {

  public static final int PAD = 0;
  public static final int BOS = 1;
  public static final int EOS = 2;
  public static final int UNK = 3;
  /** The first control token; class c is {@code CONTROL + c}, no class {@code CONTROL + classes}. */
  public static final int CONTROL = 4;

  /** The special tokens of a tokenizer for {@code classes} attribute classes, in id order. */
  public static List<String> specials(int classes) {
    List<String> s = new ArrayList<>(List.of("<pad>", "<bos>", "<eos>", BpeTokenizer.UNK));
    for (int c = 0; c < classes; c++) {
      s.add("<attr" + c + ">");
    }
    s.add("<noattr>");
    return s;
  }

  public PlannerText {
    List<String> expected = specials(classes);
    if (!tokenizer.specials().equals(expected)) {
      throw new IllegalArgumentException("the tokenizer's special tokens are " + tokenizer.specials()
          + ", PLANNER for " + classes + " classes needs " + expected);
    }
  }

  /** Number of special ids (ids below this are never substituted or decoded as text). */
  public int specialCount() {
    return CONTROL + classes + 1;
  }

  /** The control token of class {@code c} (c = classes: none). */
  public int control(int c) {
    return CONTROL + c;
  }

  /** The row of {@code text}: up to L − 1 tokens, {@code <eos>}, padding. */
  public int[] row(String text) {
    return row(tokenizer.encode(text));
  }

  /** The row of already encoded tokens. */
  public int[] row(int[] tokens) {
    int[] r = new int[length];
    int n = Math.min(tokens.length, length - 1);
    System.arraycopy(tokens, 0, r, 0, n);
    r[n] = EOS;
    return r;
  }

  /** The tokens of a row before its {@code <eos>}. */
  public static int[] content(int[] row) {
    int n = 0;
    while (n < row.length && row[n] != EOS && row[n] != PAD) {
      n++;
    }
    return Arrays.copyOf(row, n);
  }

  /** The text of tokens, stopping at {@code <eos>}. */
  public String decode(int[] tokens) {
    return tokenizer.decode(tokens, EOS);
  }

  /**
   * A copy of the row with each text token replaced, with probability p, by a uniformly drawn
   * non-special id (the released code's {@code sub} noise); {@code <eos>} and padding stay.
   */
  public int[] substitute(int[] row, double p, SplittableRandom rng) {
    int first = specialCount();
    return replace(row, p, rng, () -> first + rng.nextInt(tokenizer.size() - first));
  }

  /**
   * {@code row} with each text token (ids from {@link #specialCount()} on) replaced by {@code <unk>}
   * with probability {@code p}; special tokens stay.
   */
  public int[] dropWords(int[] row, double p, SplittableRandom rng) {
    return replace(row, p, rng, () -> UNK);
  }

  private int[] replace(int[] row, double p, SplittableRandom rng, java.util.function.IntSupplier by) {
    int[] out = row.clone();
    int first = specialCount();
    for (int i = 0; i < out.length; i++) {
      if (out[i] >= first && rng.nextDouble() < p) {
        out[i] = by.getAsInt();
      }
    }
    return out;
  }

  /** Teacher-forcing input of a row: {@code start}, then the row shifted right by one. */
  public static int[] shiftRight(int[] row, int start) {
    int[] in = new int[row.length];
    in[0] = start;
    System.arraycopy(row, 0, in, 1, row.length - 1);
    return in;
  }
}
