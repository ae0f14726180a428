package dev.kiln.experiments.hyperut;

import dev.kiln.spi.Experiment;

/**
 * The {@code hyper-ut-cpvr} study (arXiv 2310.08866, Hyper-UT vs UT-ACT vs Transformer on C-PVR) trained
 * {@value #STEPS} steps per model instead of {@value HyperUtCpvrExperiment#STEPS}, one seed unless
 * {@code --seeds} says more; everything else the same. Report: {@code docs/reproductions/hyper-ut.md}.
 */
public final class HyperUtCpvrLongExperiment implements Experiment {

  /** Training steps per model: the first design's length. */
  public static final long STEPS = 1500;

  @Override
  public String name() {
    return "hyper-ut-cpvr-long";
  }

  @Override
  public String description() {
    return "the hyper-ut-cpvr study with 1500 training steps per model (one seed unless --seeds)";
  }

  @Override
  public void run(Context context) throws Exception {
    HyperUtCpvrExperiment.run(context, HyperUtCpvrExperiment.Plan.of(context, STEPS, 1));
  }
}
