package dev.kiln.experiments.dpf;

import dev.kiln.spi.Experiment;

/**
 * The {@code dpf} study (arXiv 2303.00165) on shortened trainings, {@link DpfExperiment.Settings#shortened}:
 * every model trains {@value DpfExperiment#SHORT_STEPS} steps instead of 10,000 and each FD reads 256
 * samples instead of 1,000, one seed unless {@code --seeds} says more; the measures, tables and images
 * are the full study's. Report: {@code docs/reproductions/dpf.md}.
 */
public final class DpfShortExperiment implements Experiment {

  @Override
  public String name() {
    return "dpf-short";
  }

  @Override
  public String description() {
    return "the dpf study with " + DpfExperiment.SHORT_STEPS + "-step trainings and 256 samples per FD";
  }

  @Override
  public void run(Context context) throws Exception {
    DpfExperiment.run(context, DpfExperiment.Settings.shortened(context.quick()));
  }
}
