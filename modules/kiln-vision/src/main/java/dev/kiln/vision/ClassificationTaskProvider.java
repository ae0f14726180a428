package dev.kiln.vision;

import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;

/** {@code "classification"}: {@link ClassificationTask}. */
public final class ClassificationTaskProvider implements TaskProvider<ClassificationTaskConfig> {

  @Override
  public String name() {
    return "classification";
  }

  @Override
  public Class<ClassificationTaskConfig> configType() {
    return ClassificationTaskConfig.class;
  }

  @Override
  public Task create(ClassificationTaskConfig config) {
    return new ClassificationTask(config);
  }

  @Override
  public String description() {
    return "MNIST digit classification with cross-entropy and shift augmentation";
  }
}
