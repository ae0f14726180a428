package dev.kiln.experiments.control3diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.nerf.control3diff.Control3Diff;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Experiment;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study's --quick run goes end to end, writes every output and a model that loads. */
class Control3DiffExperimentTest {

  @TempDir
  Path dir;

  @Test
  void quickStudyWritesScoresForEveryControlAndRouteItsFiguresAndAModel() throws Exception {
    new Control3DiffExperiment().run(new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(1)), 0, true,
        new PrintStream(OutputStream.nullOutputStream())));
    for (String f : List.of("results.json", "summary.md", "gan-metrics.jsonl", "control3diff-gan-angles.png",
        "control3diff-gan-curve.png", "control3diff-image.png", "control3diff-edges.png",
        "control3diff-segmentation.png")) {
      assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
    }
    String summary = Files.readString(dir.resolve("summary.md"));
    assertThat(summary).contains("| image | unconditional |", "| image | conditioning |", "| edges | guidance |",
        "| segmentation | guidance-langevin |").doesNotContain("NaN");
    assertThat(Control3Diff.load(dir.resolve("model")).gan().config().imageSize()).isEqualTo(8);
  }

  @Test
  void moduleProvidesTheStudyToKilnExperiment() {
    var provides = Control3DiffExperiment.class.getModule().getDescriptor().provides();
    assertThat(provides).anySatisfy(p -> {
      assertThat(p.service()).isEqualTo(Experiment.class.getName());
      assertThat(p.providers()).contains(Control3DiffExperiment.class.getName());
    });
    assertThat(new Control3DiffExperiment().name()).isEqualTo("control3diff");
  }
}
