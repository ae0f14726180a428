package dev.kiln.text;

/**
 * The fixed character vocabulary of {@link CharLmTask}: id 0 is a line break, ids 1–95 the printable
 * ASCII characters {@code ' '..'~'} in order, and id 96 stands for every other character (tabs,
 * carriage returns and the few non-ASCII symbols in Kiln's sources).
 */
public final class CharVocabulary {

  /** Number of ids. */
  public static final int SIZE = 97;
  /** The id of characters outside the vocabulary. */
  public static final int OTHER = 96;

  private CharVocabulary() {}

  /** The id of {@code c}. */
  public static int id(char c) {
    if (c == '\n') {
      return 0;
    }
    if (c >= ' ' && c <= '~') {
      return c - ' ' + 1;
    }
    return OTHER;
  }

  /** The character of {@code id}; {@code '\u00bf'} for {@link #OTHER}. */
  public static char character(int id) {
    if (id == 0) {
      return '\n';
    }
    if (id >= 1 && id < OTHER) {
      return (char) (' ' + id - 1);
    }
    if (id == OTHER) {
      return '\u00bf';
    }
    throw new IllegalArgumentException("character id must be in [0, " + SIZE + "), got " + id);
  }

  /** Every character of {@code text} as an id. */
  public static byte[] encode(CharSequence text) {
    byte[] ids = new byte[text.length()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (byte) id(text.charAt(i));
    }
    return ids;
  }

  /** The text of {@code ids} (used for samples and the exported model's metadata). */
  public static String decode(int[] ids) {
    StringBuilder sb = new StringBuilder(ids.length);
    for (int id : ids) {
      sb.append(character(id));
    }
    return sb.toString();
  }
}
