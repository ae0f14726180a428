package dev.kiln.text;

import dev.kiln.spi.Task;
import dev.kiln.spi.TaskProvider;

/** {@code "char-lm"}: {@link CharLmTask}. */
public final class CharLmTaskProvider implements TaskProvider<CharLmTaskConfig> {

  @Override
  public String name() {
    return "char-lm";
  }

  @Override
  public Class<CharLmTaskConfig> configType() {
    return CharLmTaskConfig.class;
  }

  @Override
  public Task create(CharLmTaskConfig config) {
    return new CharLmTask(config);
  }

  @Override
  public String description() {
    return "character-level language modelling of Kiln's own sources (held-out bits per character)";
  }
}
