package dev.kiln.text.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.spi.Configs;
import dev.kiln.text.corpus.SotuParagraphs;
import dev.kiln.text.metrics.Diversity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln planner evaluate} and {@code export} on an exported PLANNER folder (untrained weights). */
class PlannerToolTest {

  private static String run(ToolProvider tool, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(tool.run(new PrintWriter(out), new PrintWriter(err), args)).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void evaluateMeasuresTheDiversityOfWhatKilnGenerateWrites(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("run").resolve(PlannerPipeline.MODEL);
    TinyPlanner.export(model, Map.of("source_commit", "0123abc"));
    Path exported = dir.resolve("exported");
    run(new PlannerTool(), "export", "--model", dir.resolve("run").toString(), "--output", exported.toString());
    Path metrics = dir.resolve("metrics.json");
    String printed = run(new PlannerTool(), "evaluate", "--onnx", exported.toString(), "--count", "8", "--seed", "3",
        "--metrics", metrics.toString());
    JsonNode m = Configs.readFile(metrics, "metrics");
    assertThat(m.fieldNames()).toIterable()
        .containsExactly("bleu_reconstruction", "bleu_robust_30", "decoder_ce_own_latent", "decoder_ce_other_latent",
            "distinct_2", "rep_4", "sample_rep_4", "self_bleu");
    assertThat(printed).contains("distinct_2 ");

    String generated = run(new GenerateTool(), exported.toString(), "-n", "8", "--seed", "3");
    Diversity d = Diversity.of(generated.lines().toList());
    assertThat(m.get("distinct_2").asDouble()).isEqualTo(d.distinct2());
    assertThat(m.get("rep_4").asDouble()).isEqualTo(d.corpusRep4());
    assertThat(m.get("bleu_reconstruction").asDouble()).isBetween(0.0, 100.0);
  }

  @Test
  void aFolderThatIsNotAnExportedPlannerIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> new PlannerTool().run(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), "evaluate", "--onnx", dir.toString()))
        .hasMessageContaining(dir.resolve("model.properties").toString());
    assertThatThrownBy(() -> new PlannerTool().run(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), "evaluate", "--onnx", dir.toString(), "--count", "x"))
        .hasMessageContaining("--count").hasMessageContaining("x");
  }
}
