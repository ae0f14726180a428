package dev.kiln.text.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SotuParagraphsTest {

  @Test
  void theBundledParagraphsSplitOneInFiftyToTestAndToValidation() {
    SotuParagraphs p = SotuParagraphs.load();
    int total = p.train().size() + p.validation().size() + p.test().size();
    assertThat(total).isEqualTo(32_639);
    assertThat(p.test()).hasSize((total + 49) / 50);
    List<SotuParagraphs.Paragraph> all = new ArrayList<>(p.train());
    all.addAll(p.test());
    assertThat(all).allSatisfy(x -> {
      assertThat(x.text().split(" ").length).isBetween(12, 32);
      assertThat(x.text()).isEqualTo(x.text().toLowerCase());
    });
    assertThat(p.test().stream().map(SotuParagraphs.Paragraph::era).distinct()).containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  @Test
  void erasAreCutAt1860And1932And1980() {
    assertThat(SotuParagraphs.era(1860)).isZero();
    assertThat(SotuParagraphs.era(1861)).isEqualTo(1);
    assertThat(SotuParagraphs.era(1932)).isEqualTo(1);
    assertThat(SotuParagraphs.era(1933)).isEqualTo(2);
    assertThat(SotuParagraphs.era(1981)).isEqualTo(3);
  }

  @Test
  void aBadYearIsAnErrorNamingTheSourceLineAndField() {
    String bad = "1790\tnone\tfellow citizens\nabc\tnone\tsecond line\n";
    assertThatThrownBy(() -> SotuParagraphs.parse(new ByteArrayInputStream(bad.getBytes(StandardCharsets.US_ASCII)),
        "p.tsv")).isInstanceOf(IOException.class).hasMessageContaining("p.tsv line 2")
        .hasMessageContaining("`year`").hasMessageContaining("abc");
  }
}
