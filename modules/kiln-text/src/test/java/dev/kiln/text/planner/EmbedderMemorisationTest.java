package dev.kiln.text.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.text.bpe.BpeTokenizer;
import dev.kiln.text.corpus.SotuParagraphs;
import dev.kiln.text.metrics.Bleu;
import dev.kiln.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole latent path, encoder → μ → soft prefix → cached greedy decoding of the exported model,
 * carries a paragraph: trained long enough on a few paragraphs, the embedder reconstructs them, and
 * the decoder's cross-entropy is lower with a paragraph's own latent than with another's.
 */
class EmbedderMemorisationTest {

  @Test
  void anEmbedderTrainedOnSixteenParagraphsDecodesThemBackFromTheirLatents(@TempDir Path dir) throws Exception {
    OrtBackend cpu = new OrtBackend(BackendOptions.cpu(1));
    List<SotuParagraphs.Paragraph> paragraphs = SotuParagraphs.load().train().subList(100, 116);
    BpeTokenizer tok = BpeTokenizer.train(paragraphs.stream().map(SotuParagraphs.Paragraph::text).toList(), 160,
        PlannerText.specials(4));
    PlannerConfig c = new PlannerConfig(tok.size(), 40, 2, 16, 32, 1, 2, 16, 1, 2, 4, 4);
    PlannerText text = new PlannerText(tok, c.length(), c.classes());
    PlannerData data = PlannerData.of(paragraphs, text, c.prefixLength());
    Trainer.Result r = PlannerTraining.trainEmbedder(cpu, c, text, data, 0.0, 0.0, 1e-5,
        new PlannerTraining.Budget(400, 16, 3e-3, dir.resolve("run"), null), 1);
    Planner.export(dir.resolve("model"), c, tok, r.weights(),
        dev.kiln.runtime.Weights.initialize(PlannerTraining.denoiserGraph(c).graph(), 1), Map.of());
    try (Planner p = Planner.load(dir.resolve("model"), cpu)) {
      float[] mu = p.encode(data.whole());
      List<String> decoded = Arrays.stream(p.decode(mu, data.size())).map(text::decode).toList();
      // References are the rows as the model sees them: paragraphs cut to L − 1 = 39 tokens.
      List<String> rows = Arrays.stream(data.whole()).map(row -> text.decode(PlannerText.content(row))).toList();
      assertThat(Bleu.corpus(decoded, rows)).as(String.join("\n", decoded)).isGreaterThan(60);
      int latent = c.latents() * c.latentDim();
      float[] other = new float[mu.length];
      for (int i = 0; i < data.size(); i++) {
        System.arraycopy(mu, ((i + 1) % data.size()) * latent, other, i * latent, latent);
      }
      // Teacher forcing lets a memorising decoder recognise the paragraph after a few tokens whatever the
      // latent, so another paragraph's latent costs mostly the first tokens: still several times the CE.
      assertThat(p.crossEntropy(mu, data.whole())).isLessThan(0.5 * p.crossEntropy(other, data.whole()));
    }
  }
}
