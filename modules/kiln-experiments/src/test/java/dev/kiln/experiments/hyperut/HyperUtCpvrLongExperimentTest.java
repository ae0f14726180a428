package dev.kiln.experiments.hyperut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Experiment;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The longer C-PVR study is the same study at 1500 steps, one seed by default, found by its name. */
class HyperUtCpvrLongExperimentTest {

  @TempDir
  Path dir;

  private Experiment.Context context(int seeds, boolean quick) {
    return new Experiment.Context(dir, new OrtBackend(BackendOptions.cpu(1)), seeds, quick,
        new PrintStream(OutputStream.nullOutputStream()));
  }

  @Test
  void trainsEveryModelFifteenHundredStepsForOneSeedUnlessTold() {
    HyperUtCpvrExperiment.Plan plan = HyperUtCpvrExperiment.Plan.of(context(0, false),
        HyperUtCpvrLongExperiment.STEPS, 1);
    assertThat(plan.steps()).isEqualTo(1500);
    assertThat(plan.seeds()).isEqualTo(1);
    assertThat(HyperUtCpvrExperiment.Plan.of(context(3, false), HyperUtCpvrLongExperiment.STEPS, 1).seeds())
        .isEqualTo(3);
    assertThat(HyperUtCpvrExperiment.Plan.of(context(0, false)))
        .isEqualTo(new HyperUtCpvrExperiment.Plan(HyperUtCpvrExperiment.STEPS, 3, plan.testExamples(),
            plan.benchPerHop(), plan.benchRounds()));
    assertThat(HyperUtCpvrExperiment.Plan.of(context(0, true), HyperUtCpvrLongExperiment.STEPS, 1))
        .isEqualTo(HyperUtCpvrExperiment.Plan.of(context(0, true)));
  }

  @Test
  void moduleProvidesItToKilnExperiment() {
    var provides = HyperUtCpvrLongExperiment.class.getModule().getDescriptor().provides();
    assertThat(provides).anySatisfy(p -> {
      assertThat(p.service()).isEqualTo(Experiment.class.getName());
      assertThat(p.providers()).contains(HyperUtCpvrLongExperiment.class.getName());
    });
    assertThat(new HyperUtCpvrLongExperiment().name()).isEqualTo("hyper-ut-cpvr-long");
  }
}
