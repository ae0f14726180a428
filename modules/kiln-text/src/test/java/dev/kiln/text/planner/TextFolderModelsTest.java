package dev.kiln.text.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ConfigException;
import dev.kiln.spi.FolderModel;
import dev.kiln.spi.FolderModelProvider;
import dev.kiln.spi.Providers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exported text folders as served models: found by ServiceLoader, and the paragraphs of kiln generate. */
class TextFolderModelsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OrtBackend CPU = new OrtBackend(BackendOptions.cpu(1));
  private static final PlannerConfig C = TinyPlanner.C;

  @TempDir
  static Path dir;

  static Path planner;
  static Path lm;

  @BeforeAll
  static void export() throws Exception {
    planner = dir.resolve("planner");
    Planner.export(planner, C, TinyPlanner.TOK,
        TinyPlanner.noisy(PlannerTraining.embedderGraph(C, 1e-5).graph(), 1),
        TinyPlanner.noisy(PlannerTraining.denoiserGraph(C).graph(), 2), Map.of());
    lm = dir.resolve("lm");
    LanguageModel.export(lm, C, TinyPlanner.TOK,
        TinyPlanner.noisy(PlannerTraining.languageModelGraph(C).graph(), 3), Map.of());
  }

  private static FolderModelProvider provider() {
    Map<String, FolderModelProvider> all = Providers.load(FolderModelProvider.class);
    assertThat(all).containsKey("text");
    return all.get("text");
  }

  @Test
  void theProviderIsFoundAndRecognisesTextFoldersOnly() throws Exception {
    FolderModelProvider p = provider();
    assertThat(p.recognises(planner)).isTrue();
    assertThat(p.recognises(lm)).isTrue();
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("model.properties"), "kind=something-else\n");
    assertThat(p.recognises(other)).isFalse();
    assertThat(p.recognises(dir.resolve("missing"))).isFalse();
  }

  @Test
  void aRequestGetsTheParagraphsOfKilnGenerate() throws Exception {
    try (FolderModel m = provider().open(planner, CPU)) {
      assertThat(m.parameters().get("kind").asText()).isEqualTo("planner");
      assertThat(m.parameters().get("num_classes").asInt()).isEqualTo(4);
      List<String> served = text(m, "{\"count\":3,\"attribute\":2,\"guidance\":3,\"seed\":5,\"steps\":20}");
      assertThat(served).hasSize(3).containsExactlyElementsOf(cli(planner, "-n", "3", "--attribute", "2",
          "--guidance", "3", "--seed", "5"));
      assertThat(text(m, "{\"count\":2,\"prefix\":\"the congress\",\"seed\":6}"))
          .containsExactlyElementsOf(cli(planner, "-n", "2", "--prefix", "the congress", "--seed", "6"))
          .allMatch(l -> l.startsWith("the congress "));
    }
    try (FolderModel m = provider().open(lm, CPU)) {
      assertThat(text(m, "{\"count\":4,\"top_p\":0.95,\"seed\":1}"))
          .containsExactlyElementsOf(cli(lm, "-n", "4", "--top-p", "0.95", "--seed", "1"));
    }
  }

  @Test
  void concurrentRequestsGetWhatTheyGetAlone() throws Exception {
    String[] requests = {"{\"count\":2,\"seed\":1}", "{\"count\":1,\"seed\":2,\"attribute\":0}",
        "{\"count\":3,\"seed\":3,\"guidance\":2,\"attribute\":1}", "{\"count\":1,\"seed\":4,\"prefix\":\"we\"}"};
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (FolderModel m = provider().open(planner, CPU)) {
      List<List<String>> alone = new ArrayList<>();
      for (String r : requests) {
        alone.add(text(m, r));
      }
      List<Future<List<String>>> together = new ArrayList<>();
      for (String r : requests) {
        together.add(pool.submit(() -> text(m, r)));
      }
      for (int i = 0; i < requests.length; i++) {
        assertThat(together.get(i).get()).as(requests[i]).isEqualTo(alone.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badFieldsAreRefusedNamingTheFieldAndValue() throws Exception {
    try (FolderModel m = provider().open(planner, CPU)) {
      assertRefused(m, "{\"attribute\":9}", "attribute must be in [0, 4)", "got 9");
      assertRefused(m, "{\"attribute\":1.5}", "attribute must be an integer", "1.5");
      assertRefused(m, "{\"prefix\":3}", "prefix must be a string", "3");
      assertRefused(m, "{\"guidance\":\"x\"}", "guidance must be a number", "\"x\"");
      assertRefused(m, "{\"top_p\":2}", "top_p must be in [0, 1]", "2.0");
      assertRefused(m, "{\"temperature\":1}", "unknown field `temperature`", "prefix");
      assertRefused(m, "{\"format\":\"png\"}", "format", "png");
      assertRefused(m, "{\"count\":0}", "count and steps must be >= 1", "0");
    }
  }

  private static void assertRefused(FolderModel m, String request, String... parts) {
    assertThatThrownBy(() -> m.generate(JSON.readTree(request))).as(request)
        .isInstanceOfAny(ConfigException.class, IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(parts));
  }

  private static List<String> text(FolderModel m, String request) throws Exception {
    List<FolderModel.Output> out = m.generate(JSON.readTree(request));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).name()).isEqualTo("text");
    return out.get(0).strings();
  }

  private static List<String> cli(Path model, String... args) {
    List<String> all = new ArrayList<>(List.of(model.toString()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = new GenerateTool().run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    assertThat(rc).as(err.toString()).isZero();
    return out.toString().lines().toList();
  }
}
