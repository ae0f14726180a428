package dev.kiln.text.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.text.bpe.BpeTokenizer;
import dev.kiln.text.corpus.SotuParagraphs;
import dev.kiln.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedder stage on real paragraphs: it learns, it repeats, and its corruption leaves structure alone. */
class PlannerTrainingTest {

  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));
  private static final List<SotuParagraphs.Paragraph> PARAGRAPHS = SotuParagraphs.load().train().subList(0, 64);
  private static final BpeTokenizer TOK = BpeTokenizer.train(
      PARAGRAPHS.stream().map(SotuParagraphs.Paragraph::text).toList(), 150, PlannerText.specials(4));
  private static final PlannerConfig C = new PlannerConfig(TOK.size(), 24, 2, 8, 16, 1, 2, 16, 1, 2, 6, 4);
  private static final PlannerText TEXT = new PlannerText(TOK, C.length(), C.classes());
  private static final PlannerData DATA = PlannerData.of(PARAGRAPHS, TEXT, C.prefixLength());

  @Test
  void theEmbedderLearnsAndTheSameSeedGivesTheSameWeights(@TempDir Path dir) throws Exception {
    Trainer.Result a = PlannerTraining.trainEmbedder(CPU, C, TEXT, DATA, 0.3, 0.0, 1e-5,
        new PlannerTraining.Budget(60, 8, 3e-3, dir.resolve("a"), null), 7);
    String first = java.nio.file.Files.readAllLines(dir.resolve("a").resolve(Trainer.METRICS)).get(0);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"loss\":([0-9.eE+-]+)").matcher(first);
    assertThat(m.find()).as(first).isTrue();
    // The first logged window (steps 1-6) is near ln(vocab); 60 steps later the loss is clearly lower.
    assertThat(a.finalLoss()).isLessThan(Double.parseDouble(m.group(1)) - 0.3);
    Trainer.Result b = PlannerTraining.trainEmbedder(CPU, C, TEXT, DATA, 0.3, 0.0, 1e-5,
        new PlannerTraining.Budget(3, 8, 3e-3, dir.resolve("b"), null), 7);
    Trainer.Result c = PlannerTraining.trainEmbedder(CPU, C, TEXT, DATA, 0.3, 0.0, 1e-5,
        new PlannerTraining.Budget(3, 8, 3e-3, dir.resolve("c"), null), 7);
    assertThat(b.weights().contentEquals(c.weights())).isTrue();
  }

  @Test
  void substitutionReplacesAboutPOfTheTextTokensAndNeverEndOrPadding() {
    int[] row = DATA.whole()[0];
    int text = PlannerText.content(row).length;
    int changed = 0;
    int trials = 400;
    SplittableRandom rng = new SplittableRandom(2);
    for (int k = 0; k < trials; k++) {
      int[] noisy = TEXT.substitute(row, 0.3, rng);
      for (int i = 0; i < row.length; i++) {
        if (row[i] < TEXT.specialCount()) {
          assertThat(noisy[i]).isEqualTo(row[i]);
        } else if (noisy[i] != row[i]) {
          changed++;
          assertThat(noisy[i]).isGreaterThanOrEqualTo(TEXT.specialCount());
        }
      }
    }
    assertThat((double) changed / (trials * text)).isBetween(0.26, 0.31);
  }

  @Test
  void wordDropoutTurnsAboutPOfTheDecoderInputsIntoUnkAndKeepsTheStartToken() {
    int[] in = PlannerText.shiftRight(DATA.whole()[0], PlannerText.BOS);
    int dropped = 0;
    int text = 0;
    SplittableRandom rng = new SplittableRandom(3);
    for (int k = 0; k < 400; k++) {
      int[] out = TEXT.dropWords(in, 0.5, rng);
      assertThat(out[0]).isEqualTo(PlannerText.BOS);
      for (int i = 0; i < in.length; i++) {
        if (in[i] < TEXT.specialCount()) {
          assertThat(out[i]).isEqualTo(in[i]);
        } else {
          text++;
          assertThat(out[i]).isIn(in[i], PlannerText.UNK);
          dropped += out[i] == PlannerText.UNK ? 1 : 0;
        }
      }
    }
    assertThat((double) dropped / text).isBetween(0.46, 0.54);
  }

  @Test
  void wordDropoutChangesTheTrainingAndTheRecipeReadsIt(@TempDir Path dir) throws Exception {
    Trainer.Result plain = PlannerTraining.trainEmbedder(CPU, C, TEXT, DATA, 0.3, 0.0, 1e-5,
        new PlannerTraining.Budget(3, 8, 3e-3, dir.resolve("plain"), null), 7);
    Trainer.Result dropped = PlannerTraining.trainEmbedder(CPU, C, TEXT, DATA, 0.3, 0.4, 1e-5,
        new PlannerTraining.Budget(3, 8, 3e-3, dir.resolve("dropped"), null), 7);
    assertThat(plain.weights().contentEquals(dropped.weights())).isFalse();
    PlannerRecipe r = dev.kiln.spi.Configs.read(dev.kiln.spi.Configs.mapper().readTree(
        "{\"model\": " + dev.kiln.spi.Configs.mapper().writeValueAsString(C) + ", \"word_dropout\": 0.25}"),
        PlannerRecipe.class, "recipe.json");
    assertThat(r.wordDropout()).isEqualTo(0.25);
    assertThat(new PlannerRecipe(C, null, null, null, null, null, null, null, null, null, null).wordDropout())
        .isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PlannerRecipe(C, null, null, null, null, null, null,
        null, 1.0, null, null)).hasMessageContaining("word_dropout").hasMessageContaining("1.0");
  }

  @Test
  void aRowEndsWithEosThenPaddingAndCompletionSplitsAtFortyPercentOfTheWords() {
    int[] row = DATA.whole()[1];
    int n = PlannerText.content(row).length;
    assertThat(row[n]).isEqualTo(PlannerText.EOS);
    String[] words = DATA.texts().get(1).split(" ");
    assertThat(DATA.prefixTexts().get(1).split(" ")).hasSize((int) Math.round(0.4 * words.length));
    assertThat(DATA.prefixTexts().get(1) + " " + DATA.continuationTexts().get(1)).isEqualTo(DATA.texts().get(1));
  }
}
