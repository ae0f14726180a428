package dev.kiln.text.bpe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte-pair-encoding subword tokenizer (Sennrich, Haddow and Birch, arXiv 1508.07909) trained on a
 * corpus. Text is cut at whitespace into words, each word into runs of letters and digits and single
 * other characters ("pieces"); the last piece of a word carries the end-of-word mark {@value #END}, so
 * decoding restores the spacing exactly. Training starts from single characters and repeatedly merges
 * the most frequent adjacent pair inside a piece (ties: the pair whose merged text sorts first) until
 * the vocabulary has the requested size. Encoding applies the merges in the order they were learned.
 * The first ids are the special tokens, in the order given; {@code <unk>} must be one of them and
 * stands for any character the training text did not contain.
 */
public final class BpeTokenizer {

  /** Marks the last piece of a word. */
  public static final String END = "</w>";
  /** The name of the unknown-character token, which every tokenizer has. */
  public static final String UNK = "<unk>";

  private static final String MAGIC = "kiln-bpe 1";
  private static final Pattern PIECE = Pattern.compile("[a-zA-Z0-9]+|[^\\sa-zA-Z0-9]");

  private final List<String> specials;
  private final List<String> vocab;
  private final List<int[]> merges;
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Long, Integer> mergeRank = new HashMap<>();
  private final Map<Long, Integer> mergeResult = new HashMap<>();
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();
  private final int unk;

  private BpeTokenizer(List<String> specials, List<String> vocab, List<int[]> merges) {
    this.specials = List.copyOf(specials);
    this.vocab = List.copyOf(vocab);
    this.merges = List.copyOf(merges);
    for (int i = 0; i < vocab.size(); i++) {
      if (ids.put(vocab.get(i), i) != null) {
        throw new IllegalArgumentException("token `" + vocab.get(i) + "` appears twice in the vocabulary");
      }
    }
    for (int r = 0; r < merges.size(); r++) {
      int[] m = merges.get(r);
      long key = pair(m[0], m[1]);
      mergeRank.put(key, r);
      mergeResult.put(key, ids.get(vocab.get(m[0]) + vocab.get(m[1])));
    }
    Integer u = ids.get(UNK);
    if (u == null || !specials.contains(UNK)) {
      throw new IllegalArgumentException("a BPE tokenizer needs the special token " + UNK);
    }
    unk = u;
  }

  /**
   * Learns merges from {@code texts} until the vocabulary holds {@code vocabSize} tokens (fewer when
   * no pair is left to merge).
   *
   * @param specials special tokens, ids 0.. in this order; must contain {@value #UNK}
   */
  public static BpeTokenizer train(Iterable<String> texts, int vocabSize, List<String> specials) {
    Map<String, Integer> pieceCounts = new TreeMap<>();
    for (String text : texts) {
      for (String piece : pieces(text)) {
        pieceCounts.merge(piece, 1, Integer::sum);
      }
    }
    List<String> vocab = new ArrayList<>(specials);
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < vocab.size(); i++) {
      ids.put(vocab.get(i), i);
    }
    List<int[]> words = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (Map.Entry<String, Integer> e : pieceCounts.entrySet()) {
      List<String> symbols = symbols(e.getKey());
      int[] w = new int[symbols.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = ids.computeIfAbsent(symbols.get(i), s -> {
          vocab.add(s);
          return vocab.size() - 1;
        });
      }
      words.add(w);
      counts.add(e.getValue());
    }
    List<int[]> merges = new ArrayList<>();
    while (vocab.size() < vocabSize) {
      Map<Long, Long> pairCounts = new HashMap<>();
      for (int i = 0; i < words.size(); i++) {
        int[] w = words.get(i);
        long c = counts.get(i);
        for (int j = 0; j + 1 < w.length; j++) {
          pairCounts.merge(pair(w[j], w[j + 1]), c, Long::sum);
        }
      }
      long best = -1;
      long bestCount = 0;
      String bestText = null;
      for (Map.Entry<Long, Long> e : pairCounts.entrySet()) {
        long c = e.getValue();
        if (c < bestCount) {
          continue;
        }
        String text = vocab.get(first(e.getKey())) + vocab.get(second(e.getKey()));
        if (c > bestCount || text.compareTo(bestText) < 0) {
          best = e.getKey();
          bestCount = c;
          bestText = text;
        }
      }
      if (best < 0) {
        break;
      }
      int a = first(best);
      int b = second(best);
      Integer existing = ids.get(bestText);
      int merged;
      if (existing == null) {
        vocab.add(bestText);
        merged = vocab.size() - 1;
        ids.put(bestText, merged);
      } else {
        merged = existing;
      }
      merges.add(new int[] {a, b});
      for (int i = 0; i < words.size(); i++) {
        words.set(i, apply(words.get(i), a, b, merged));
      }
    }
    return new BpeTokenizer(specials, vocab, merges);
  }

  private static int[] apply(int[] w, int a, int b, int merged) {
    int n = 0;
    int[] out = new int[w.length];
    for (int j = 0; j < w.length; j++) {
      if (j + 1 < w.length && w[j] == a && w[j + 1] == b) {
        out[n++] = merged;
        j++;
      } else {
        out[n++] = w[j];
      }
    }
    return n == w.length ? w : Arrays.copyOf(out, n);
  }

  /** The pieces of {@code text}, the last piece of each word ending in {@value #END}. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (String word : text.trim().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      Matcher m = PIECE.matcher(word);
      while (m.find()) {
        out.add(m.group());
      }
      out.set(out.size() - 1, out.get(out.size() - 1) + END);
    }
    return out;
  }

  /** A piece as single characters, the end mark joined to the last one. */
  private static List<String> symbols(String piece) {
    boolean end = piece.endsWith(END);
    String body = end ? piece.substring(0, piece.length() - END.length()) : piece;
    List<String> s = new ArrayList<>();
    body.codePoints().forEach(cp -> s.add(new String(Character.toChars(cp))));
    if (end) {
      s.set(s.size() - 1, s.get(s.size() - 1) + END);
    }
    return s;
  }

  /** Token ids of {@code text} (no special tokens added). */
  public int[] encode(String text) {
    List<String> ps = pieces(text);
    int[][] parts = new int[ps.size()][];
    int total = 0;
    for (int i = 0; i < parts.length; i++) {
      parts[i] = cache.computeIfAbsent(ps.get(i), this::encodePiece);
      total += parts[i].length;
    }
    int[] out = new int[total];
    int k = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, k, p.length);
      k += p.length;
    }
    return out;
  }

  private int[] encodePiece(String piece) {
    List<String> s = symbols(piece);
    int[] w = new int[s.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = ids.getOrDefault(s.get(i), unk);
    }
    while (w.length > 1) {
      int bestRank = Integer.MAX_VALUE;
      int at = -1;
      for (int j = 0; j + 1 < w.length; j++) {
        Integer r = mergeRank.get(pair(w[j], w[j + 1]));
        if (r != null && r < bestRank) {
          bestRank = r;
          at = j;
        }
      }
      if (at < 0) {
        break;
      }
      int[] m = merges.get(bestRank);
      w = apply(w, m[0], m[1], mergeResult.get(pair(m[0], m[1])));
    }
    return w;
  }

  /**
   * The text of {@code tokens}: subwords joined, each end mark a space. Special tokens are skipped,
   * except that decoding stops at {@code stop} when it is not negative.
   */
  public String decode(int[] tokens, int stop) {
    StringBuilder b = new StringBuilder();
    for (int t : tokens) {
      if (t == stop) {
        break;
      }
      if (t < 0 || t >= vocab.size()) {
        throw new IllegalArgumentException("token id " + t + " is outside the vocabulary [0, " + vocab.size() + ")");
      }
      if (t < specials.size()) {
        continue;
      }
      String s = vocab.get(t);
      if (s.endsWith(END)) {
        b.append(s, 0, s.length() - END.length()).append(' ');
      } else {
        b.append(s);
      }
    }
    return b.toString().trim();
  }

  /** The id of a token (a special token's name or a subword). */
  public int id(String token) {
    Integer i = ids.get(token);
    if (i == null) {
      throw new IllegalArgumentException("`" + token + "` is not in the vocabulary");
    }
    return i;
  }

  /** Number of tokens, special ones included. */
  public int size() {
    return vocab.size();
  }

  public List<String> specials() {
    return specials;
  }

  /** The token of id {@code id}. */
  public String token(int id) {
    return vocab.get(id);
  }

  /** Number of merges learned. */
  public int mergeCount() {
    return merges.size();
  }

  /** The tokenizer as text: a header, the special tokens, the vocabulary and the merges, one per line. */
  public String serialize() {
    StringBuilder b = new StringBuilder(MAGIC).append('\n');
    b.append(specials.size()).append(' ').append(vocab.size()).append(' ').append(merges.size()).append('\n');
    for (String t : vocab) {
      b.append(t).append('\n');
    }
    for (int[] m : merges) {
      b.append(m[0]).append(' ').append(m[1]).append('\n');
    }
    return b.toString();
  }

  /** Writes {@link #serialize()} to {@code file} through a temporary file. */
  public void write(Path file) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
    Files.writeString(tmp, serialize(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads a tokenizer {@link #write} wrote; errors name the file and line. */
  public static BpeTokenizer read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Parses {@link #serialize()}'s text; {@code source} names it in errors. */
  public static BpeTokenizer parse(String text, String source) throws IOException {
    BufferedReader r = new BufferedReader(new StringReader(text));
    if (!MAGIC.equals(r.readLine())) {
      throw new IOException(source + " line 1: not a Kiln BPE tokenizer (expected `" + MAGIC + "`)");
    }
    String[] counts = String.valueOf(r.readLine()).split(" ");
    int line = 2;
    try {
      int nSpecials = Integer.parseInt(counts[0]);
      int nVocab = Integer.parseInt(counts[1]);
      int nMerges = Integer.parseInt(counts[2]);
      List<String> vocab = new ArrayList<>();
      for (int i = 0; i < nVocab; i++) {
        line++;
        String t = r.readLine();
        if (t == null || t.isEmpty()) {
          throw new IOException(source + " line " + line + ": expected token " + i + " of " + nVocab);
        }
        vocab.add(t);
      }
      List<int[]> merges = new ArrayList<>();
      for (int i = 0; i < nMerges; i++) {
        line++;
        String m = r.readLine();
        String[] f = m == null ? new String[0] : m.split(" ");
        if (f.length != 2) {
          throw new IOException(source + " line " + line + ": expected merge `A B` (two token ids), got `" + m + "`");
        }
        int a = Integer.parseInt(f[0]);
        int b = Integer.parseInt(f[1]);
        if (a < 0 || a >= nVocab || b < 0 || b >= nVocab || !vocab.contains(vocab.get(a) + vocab.get(b))) {
          throw new IOException(source + " line " + line + ": merge `" + m + "` names no pair of the vocabulary");
        }
        merges.add(new int[] {a, b});
      }
      return new BpeTokenizer(vocab.subList(0, nSpecials), vocab, merges);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IOException(source + " line " + line + ": expected numbers, " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }

  private static long pair(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  private static int first(long p) {
    return (int) (p >>> 32);
  }

  private static int second(long p) {
    return (int) p;
  }
}
