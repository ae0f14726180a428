package dev.kiln.diffusion.boot;

import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;

/** {@code "boot"}: {@link BootTask}. */
public final class BootTaskProvider implements TaskProvider<BootTaskConfig> {

  @Override
  public String name() {
    return "boot";
  }

  @Override
  public Class<BootTaskConfig> configType() {
    return BootTaskConfig.class;
  }

  @Override
  public Task create(BootTaskConfig config) {
    return BootTask.load(config);
  }

  @Override
  public String description() {
    return "BOOT: data-free distillation of an exported diffusion teacher into a one-step student";
  }
}
