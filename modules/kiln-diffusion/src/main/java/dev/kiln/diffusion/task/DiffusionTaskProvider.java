package dev.kiln.diffusion.task;

import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;

/** {@code "diffusion"}: {@link DiffusionTask}. */
public final class DiffusionTaskProvider implements TaskProvider<DiffusionTaskConfig> {

  @Override
  public String name() {
    return "diffusion";
  }

  @Override
  public Class<DiffusionTaskConfig> configType() {
    return DiffusionTaskConfig.class;
  }

  @Override
  public Task create(DiffusionTaskConfig config) {
    return new DiffusionTask(config);
  }

  @Override
  public String description() {
    return "denoising diffusion on 2-D toy data or MNIST digits (epsilon, sample or v prediction)";
  }
}
