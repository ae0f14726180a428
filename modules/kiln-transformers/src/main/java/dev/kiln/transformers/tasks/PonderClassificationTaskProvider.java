package dev.kiln.transformers.tasks;

import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;

/** {@code "ponder-classification"}: {@link PonderClassificationTask}. */
public final class PonderClassificationTaskProvider implements TaskProvider<PonderClassificationTaskConfig> {

  @Override
  public String name() {
    return "ponder-classification";
  }

  @Override
  public Class<PonderClassificationTaskConfig> configType() {
    return PonderClassificationTaskConfig.class;
  }

  @Override
  public Task create(PonderClassificationTaskConfig config) {
    return new PonderClassificationTask(config);
  }

  @Override
  public String description() {
    return "MNIST digit classification with the ACT ponder cost of adaptive-depth architectures in the loss";
  }
}
