package dev.kiln.diffusion.fields;

import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;

/** {@code "dpf"}: {@link FieldTask}. */
public final class FieldTaskProvider implements TaskProvider<FieldTaskConfig> {

  @Override
  public String name() {
    return "dpf";
  }

  @Override
  public Class<FieldTaskConfig> configType() {
    return FieldTaskConfig.class;
  }

  @Override
  public Task create(FieldTaskConfig config) {
    return new FieldTask(config);
  }

  @Override
  public String description() {
    return "diffusion probabilistic fields (DPF): context and query pairs noised at one t, loss on the queries";
  }
}
