package dev.kiln.experiments.ssdnerf;

import dev.kiln.spi.Experiment;

/**
 * The {@code ssdnerf} study (arXiv 2304.06714, single-stage vs two-stage) at the length of the research
 * notes' SSD-tiny schedule, {@link SsdNerfExperiment.Plan#longer}: 1500 outer iterations per run instead
 * of 600, everything else the same. About 12 minutes of training per run on two CPU cores. Report:
 * {@code docs/reproductions/ssdnerf.md}.
 */
public final class SsdNerfLongExperiment implements Experiment {

  @Override
  public String name() {
    return "ssdnerf-long";
  }

  @Override
  public String description() {
    return "the ssdnerf study with 1500 outer iterations per run (the SSD-tiny length)";
  }

  @Override
  public void run(Context context) throws Exception {
    SsdNerfExperiment.run(context.plan(SsdNerfExperiment.Plan::quick, SsdNerfExperiment.Plan::longer,
        SsdNerfExperiment.Plan::withSeeds), context.backend(), context.outDir(), context.log());
  }
}
