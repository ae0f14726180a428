package dev.kiln.text.planner;

import dev.kiln.graph.Graph;
import dev.kiln.runtime.Weights;
import dev.kiln.text.bpe.BpeTokenizer;
import dev.kiln.text.corpus.SotuParagraphs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/** A tiny PLANNER with noisy untrained weights, exported as a model folder, for the tool tests. */
final class TinyPlanner {

  static final BpeTokenizer TOK = BpeTokenizer.train(SotuParagraphs.load().train().subList(0, 300).stream()
      .map(SotuParagraphs.Paragraph::text).toList(), 120, PlannerText.specials(4));
  static final PlannerConfig C = new PlannerConfig(TOK.size(), 12, 2, 4, 16, 1, 2, 16, 1, 2, 4, 4);

  private TinyPlanner() {}

  /** Initial weights of {@code g} plus Gaussian noise of scale 0.3, so every layer matters. */
  static Weights noisy(Graph g, long seed) {
    Weights w = Weights.initialize(g, seed);
    SplittableRandom rng = new SplittableRandom(seed);
    w.asMap().values().forEach(t -> {
      for (int i = 0; i < t.size(); i++) {
        t.set(i, t.get(i) + 0.3 * rng.nextGaussian());
      }
    });
    return w;
  }

  /** Exports a tiny PLANNER folder into {@code dir}. */
  static void export(Path dir, Map<String, String> metadata) throws IOException {
    Planner.export(dir, C, TOK, noisy(PlannerTraining.embedderGraph(C, 1e-5).graph(), 1),
        noisy(PlannerTraining.denoiserGraph(C).graph(), 2), metadata);
  }
}
