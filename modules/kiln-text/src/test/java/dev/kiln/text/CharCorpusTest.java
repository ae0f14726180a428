package dev.kiln.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The character vocabulary and the shipped corpus's train/held-out split. */
class CharCorpusTest {

  @Test
  void printableAsciiAndNewlineRoundTripAndOtherCharactersShareOneId() {
    String text = "class A {\n  int x = 1; // ~\n}";
    byte[] ids = CharVocabulary.encode(text);
    int[] asInts = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      asInts[i] = ids[i];
    }
    assertThat(CharVocabulary.decode(asInts)).isEqualTo(text);
    assertThat(CharVocabulary.id('σ')).isEqualTo(CharVocabulary.OTHER);
    assertThat(CharVocabulary.id('\t')).isEqualTo(CharVocabulary.OTHER);
  }

  @Test
  void everyTenthBlockIsHeldOutAndNothingIsLost() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 25 * CharCorpus.BLOCK; i++) {
      sb.append((char) ('a' + (i / CharCorpus.BLOCK) % 26));
    }
    CharCorpus c = CharCorpus.split("letters", sb.toString());
    assertThat(c.heldOut()).hasSize(2 * CharCorpus.BLOCK);
    assertThat(c.train()).hasSize(23 * CharCorpus.BLOCK);
    // blocks 9 and 19 (letters j and t) are held out
    assertThat(c.heldOut()[0]).isEqualTo((byte) CharVocabulary.id('j'));
    assertThat(c.heldOut()[CharCorpus.BLOCK]).isEqualTo((byte) CharVocabulary.id('t'));
  }

  @Test
  void shippedCorpusIsKilnsOwnSourcesWithATenthHeldOut() {
    CharCorpus c = CharCorpus.named(CharCorpus.KILN_SOURCES);
    int total = c.train().length + c.heldOut().length;
    assertThat(total).isEqualTo(259_030);
    assertThat((double) c.heldOut().length / total).isBetween(0.09, 0.11);
    assertThat(c.unigramBitsPerChar()).isBetween(3.5, 6.0);
  }

  @Test
  void unknownCorpusIsRejectedNamingTheField() {
    assertThatThrownBy(() -> CharCorpus.named("wikipedia")).hasMessageContaining("`corpus`")
        .hasMessageContaining("wikipedia");
  }
}
