package dev.kiln.experiments.agm;

import dev.kiln.spi.Experiment;
import java.util.List;

/**
 * The MNIST half of the {@link AgmExperiment} study (arXiv 2310.07805; report
 * {@code docs/reproductions/agm.md}), for re-running it alone: AGM and the ε-prediction baseline, both
 * MLP 3×512 with the time-gated skip path, at NFE 3–50. {@code --quick} runs the same pipeline on a
 * few steps and samples of a narrow model.
 */
public final class AgmDigitsExperiment implements Experiment {

  @Override
  public String name() {
    return "agm-digits";
  }

  @Override
  public String description() {
    return "the MNIST half of the agm study: AGM vs ε-prediction DDIM / DPM-Solver++ 2M, same skip-path MLPs";
  }

  @Override
  public void run(Context ctx) throws Exception {
    int seeds = ctx.seeds() > 0 ? ctx.seeds() : 3;
    AgmExperiment.run(ctx, List.of(ctx.quick() ? ComparisonSettings.digitsQuick() : ComparisonSettings.digits(seeds)));
  }
}
