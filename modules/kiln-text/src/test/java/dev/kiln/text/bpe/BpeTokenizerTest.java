package dev.kiln.text.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.text.corpus.SotuParagraphs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {

  private static final List<String> SPECIALS = List.of("<pad>", "<unk>");
  private static final List<String> TEXTS = SotuParagraphs.load().train().subList(0, 300).stream()
      .map(SotuParagraphs.Paragraph::text).toList();

  @Test
  void decodingAnEncodingGivesBackTheTextWithItsSpacingAndPunctuation() {
    BpeTokenizer tok = BpeTokenizer.train(TEXTS, 300, SPECIALS);
    // Paragraphs the tokenizer was not trained on whose encoding needs no <unk>.
    int unk = tok.id(BpeTokenizer.UNK);
    List<String> unseen = SotuParagraphs.load().train().subList(300, 350).stream().map(SotuParagraphs.Paragraph::text)
        .filter(x -> java.util.Arrays.stream(tok.encode(x)).noneMatch(id -> id == unk)).toList();
    assertThat(unseen).hasSizeGreaterThan(25);
    for (String t : unseen) {
      assertThat(tok.decode(tok.encode(t), -1)).isEqualTo(t);
    }
    assertThat(tok.decode(tok.encode("the nation, in 1790, paid its debt."), -1))
        .isEqualTo("the nation, in 1790, paid its debt.");
  }

  @Test
  void trainingReachesTheRequestedSizeAndMergesShortenTheEncoding() {
    BpeTokenizer small = BpeTokenizer.train(TEXTS, 150, SPECIALS);
    BpeTokenizer large = BpeTokenizer.train(TEXTS, 350, SPECIALS);
    assertThat(large.size()).isEqualTo(350);
    String t = TEXTS.get(3);
    assertThat(large.encode(t).length).isLessThan(small.encode(t).length).isLessThan(t.length());
    assertThat(large.id("the" + BpeTokenizer.END)).isGreaterThanOrEqualTo(SPECIALS.size());
  }

  @Test
  void theSameTextsGiveTheSameTokenizer() {
    assertThat(BpeTokenizer.train(TEXTS, 300, SPECIALS).serialize())
        .isEqualTo(BpeTokenizer.train(TEXTS, 300, SPECIALS).serialize());
  }

  @Test
  void aCharacterNeverSeenInTrainingBecomesUnk() {
    BpeTokenizer tok = BpeTokenizer.train(List.of("abc abc ab"), 20, SPECIALS);
    int[] ids = tok.encode("abz");
    assertThat(ids).contains(tok.id(BpeTokenizer.UNK));
  }

  @Test
  void aWrittenTokenizerReadsBackAndACorruptMergeIsNamedByLine(@TempDir Path dir) throws IOException {
    BpeTokenizer tok = BpeTokenizer.train(TEXTS, 200, SPECIALS);
    Path f = dir.resolve("tok.bpe");
    tok.write(f);
    BpeTokenizer back = BpeTokenizer.read(f);
    assertThat(back.encode(TEXTS.get(9))).isEqualTo(tok.encode(TEXTS.get(9)));
    List<String> lines = Files.readAllLines(f);
    int last = lines.size() - 1;
    lines.set(last, "99999 1");
    Files.write(f, lines);
    assertThatThrownBy(() -> BpeTokenizer.read(f)).isInstanceOf(IOException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("line " + (last + 1));
  }
}
