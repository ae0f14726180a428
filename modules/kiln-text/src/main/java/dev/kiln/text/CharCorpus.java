package dev.kiln.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A text encoded with {@link CharVocabulary} and split into training and held-out parts: the text is
 * cut into blocks of {@value #BLOCK} characters and every {@value #HELD_OUT_EVERY}th block is held
 * out, so both parts mix prose and code in the same proportions.
 *
 * <p>The shipped corpus {@code kiln-sources} is a snapshot of Kiln's own README, docs and the main
 * Java sources of kiln-graph, kiln-autodiff, kiln-nn and kiln-train (259,030 characters; built by
 * {@code modules/kiln-text/corpus/make-corpus.sh} from the commit in {@code kiln-sources.commit}).
 *
 * @param name corpus name
 * @param train training ids
 * @param heldOut held-out ids
 */
public record CharCorpus(String name, byte[] train, byte[] heldOut) {

  /** Characters per block of the split. */
  public static final int BLOCK = 2048;
  /** One block in this many is held out. */
  public static final int HELD_OUT_EVERY = 10;
  /** The name of the corpus shipped with Kiln. */
  public static final String KILN_SOURCES = "kiln-sources";

  private static volatile CharCorpus kilnSources;

  /** The corpus called {@code name}; only {@value #KILN_SOURCES} ships. */
  public static CharCorpus named(String name) {
    if (!KILN_SOURCES.equals(name)) {
      throw new IllegalArgumentException("char-lm task field `corpus` must be " + KILN_SOURCES + ", got `" + name
          + "`");
    }
    CharCorpus c = kilnSources;
    if (c == null) {
      c = split(KILN_SOURCES, read(KILN_SOURCES + ".txt"));
      kilnSources = c;
    }
    return c;
  }

  /** Encodes {@code text} and splits it into training and held-out blocks. */
  public static CharCorpus split(String name, String text) {
    byte[] ids = CharVocabulary.encode(text);
    ByteArrayOutputStream train = new ByteArrayOutputStream(ids.length);
    ByteArrayOutputStream held = new ByteArrayOutputStream(ids.length / HELD_OUT_EVERY + BLOCK);
    for (int from = 0, b = 0; from < ids.length; from += BLOCK, b++) {
      (b % HELD_OUT_EVERY == HELD_OUT_EVERY - 1 ? held : train).write(ids, from, Math.min(BLOCK, ids.length - from));
    }
    return new CharCorpus(name, train.toByteArray(), held.toByteArray());
  }

  private static String read(String resource) {
    try (InputStream in = CharCorpus.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("corpus resource " + resource + " is missing from the kiln-text jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read corpus resource " + resource, e);
    }
  }

  /**
   * The no-context baseline: bits per character of the held-out part under the training part's
   * character frequencies (add-one smoothed), what a model that ignores context can reach.
   */
  public double unigramBitsPerChar() {
    long[] counts = new long[CharVocabulary.SIZE];
    for (byte b : train) {
      counts[b]++;
    }
    double bits = 0;
    for (byte b : heldOut) {
      bits -= Math.log((counts[b] + 1.0) / (train.length + CharVocabulary.SIZE));
    }
    return bits / heldOut.length / Math.log(2);
  }
}
