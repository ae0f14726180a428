package dev.kiln.text.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.graph.Graph;
import dev.kiln.runtime.Weights;
import dev.kiln.text.bpe.BpeTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln generate} on exported PLANNER and language-model folders (untrained weights). */
class GenerateToolTest {

  private static final BpeTokenizer TOK = TinyPlanner.TOK;
  private static final PlannerConfig C = TinyPlanner.C;

  private static Weights noisy(Graph g, long seed) {
    return TinyPlanner.noisy(g, seed);
  }

  private static String[] run(int expectedExit, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = new GenerateTool().run(new PrintWriter(out), new PrintWriter(err), args);
    assertThat(rc).as(err.toString()).isEqualTo(expectedExit);
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void plannerParagraphsAreRepeatableForASeedAndFollowTheirPrefix(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("planner");
    Planner.export(model, C, TOK, noisy(PlannerTraining.embedderGraph(C, 1e-5).graph(), 1),
        noisy(PlannerTraining.denoiserGraph(C).graph(), 2), Map.of());
    String[] a = run(0, model.toString(), "-n", "3", "--attribute", "2", "--guidance", "3", "--seed", "5");
    String[] b = run(0, model.toString(), "-n", "3", "--attribute", "2", "--guidance", "3", "--seed", "5");
    assertThat(a[0]).isEqualTo(b[0]);
    assertThat(a[0].lines()).hasSize(3);
    String[] c = run(0, model.toString(), "-n", "2", "--prefix", "the congress", "--seed", "6");
    assertThat(c[0].lines()).hasSize(2).allMatch(l -> l.startsWith("the congress"));
  }

  @Test
  void aLanguageModelFolderGeneratesGreedilyOrByNucleus(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("lm");
    LanguageModel.export(model, C, TOK, noisy(PlannerTraining.languageModelGraph(C).graph(), 3), Map.of());
    String[] greedy = run(0, model.toString(), "-n", "2", "--attribute", "1");
    assertThat(greedy[0].lines().distinct()).hasSize(1);
    String[] nucleus = run(0, model.toString(), "-n", "6", "--top-p", "0.95", "--seed", "1");
    assertThat(nucleus[0].lines().distinct().count()).isGreaterThan(1);
  }

  @Test
  void aMissingFolderOrAnAttributeOutOfRangeIsAUserErrorNamingIt(@TempDir Path dir) throws Exception {
    String[] missing = run(2, dir.resolve("nothing").toString());
    assertThat(missing[1]).contains("nothing").contains("model.properties");
    Path model = dir.resolve("lm");
    LanguageModel.export(model, C, TOK, noisy(PlannerTraining.languageModelGraph(C).graph(), 3), Map.of());
    String[] bad = run(2, model.toString(), "--attribute", "9");
    assertThat(bad[1]).contains("attribute must be in [0, 4)").contains("got 9").contains(model.toString());
  }
}
