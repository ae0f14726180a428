package dev.kiln.transformers.tasks;

import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;

/** {@code "cpvr"}: {@link CpvrTask}. */
public final class CpvrTaskProvider implements TaskProvider<CpvrTaskConfig> {

  @Override
  public String name() {
    return "cpvr";
  }

  @Override
  public Class<CpvrTaskConfig> configType() {
    return CpvrTaskConfig.class;
  }

  @Override
  public Task create(CpvrTaskConfig config) {
    return new CpvrTask(config);
  }

  @Override
  public String description() {
    return "conditional pointer value retrieval: train on some hop counts, report accuracy and depth per hop count";
  }
}
