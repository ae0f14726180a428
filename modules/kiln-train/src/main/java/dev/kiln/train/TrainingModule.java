package dev.kiln.train;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.Providers;
import dev.kiln.spi.TaskProvider;

/**
 * Wires training on top of {@link InferenceModule}: every task and architecture provider found by
 * {@link java.util.ServiceLoader} goes into a {@code MapBinder} keyed by its name (so a recipe's
 * {@code "type": "unet"} resolves to it, and a third party's jar on the module path adds names), and
 * {@link TrainingRun} is bound to the backend.
 */
public final class TrainingModule extends AbstractModule {

  private final BackendOptions backend;

  public TrainingModule(BackendOptions backend) {
    this.backend = backend;
  }

  @Override
  protected void configure() {
    install(new InferenceModule(backend));
    InferenceModule.bindAll(binder(), new TypeLiteral<TaskProvider<?>>() {}, Providers.load(TaskProvider.class));
    InferenceModule.bindAll(binder(), new TypeLiteral<ArchitectureProvider<?>>() {},
        Providers.load(ArchitectureProvider.class));
    bind(TrainingRun.class).in(Singleton.class);
  }
}
