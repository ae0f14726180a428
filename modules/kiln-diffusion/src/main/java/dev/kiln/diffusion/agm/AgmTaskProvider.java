package dev.kiln.diffusion.agm;

import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;

/** {@code "agm"}: {@link AgmTask}. */
public final class AgmTaskProvider implements TaskProvider<AgmTaskConfig> {

  @Override
  public String name() {
    return "agm";
  }

  @Override
  public Class<AgmTaskConfig> configType() {
    return AgmTaskConfig.class;
  }

  @Override
  public Task create(AgmTaskConfig config) {
    return new AgmTask(config);
  }

  @Override
  public String description() {
    return "AGM phase-space bridge training (acceleration labels, 1/(1-t) weighting) on 2-D toy data or MNIST";
  }
}
