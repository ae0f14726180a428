package dev.kiln.ssl.task;

import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;

/** {@code "ssl"}: {@link SslTask}. */
public final class SslTaskProvider implements TaskProvider<SslTaskConfig> {

  @Override
  public String name() {
    return "ssl";
  }

  @Override
  public Class<SslTaskConfig> configType() {
    return SslTaskConfig.class;
  }

  @Override
  public Task create(SslTaskConfig config) {
    return new SslTask(config);
  }

  @Override
  public String description() {
    return "self-supervised pre-training (MAST or VICReg) on 16-pixel coloured digits or shapes; linear probes";
  }
}
