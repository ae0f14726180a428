package dev.kiln.experiments.boot;

import dev.kiln.spi.Experiment;

/**
 * The 8-Gaussians half of the {@link BootExperiment} study (arXiv 2306.05544; report
 * {@code docs/reproductions/boot.md}), for re-running it alone: teacher, BOOT student, its grid and
 * boundary-term ablations, and progressive distillation, scored as in the whole study.
 */
public final class Boot8GaussiansExperiment implements Experiment {

  @Override
  public String name() {
    return "boot-8gaussians";
  }

  @Override
  public String description() {
    return "the 8-Gaussians half of the boot study, with the grid and boundary-term ablations";
  }

  @Override
  public void run(Context ctx) throws Exception {
    new BootExperiment().run(ctx, (ctx.quick() ? BootExperiment.QUICK : BootExperiment.FULL).subList(0, 1));
  }
}
