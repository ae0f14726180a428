package dev.kiln.train;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.ArchitectureProvider;
import dev.kiln.spi.Provider;
import dev.kiln.spi.Providers;
import dev.kiln.spi.RendererProvider;
import dev.kiln.spi.SamplerProvider;
import dev.kiln.spi.TaskProvider;
import java.util.Map;

/**
 * Wires training: every task, architecture, sampler and renderer provider found by
 * {@link java.util.ServiceLoader} goes into a {@code MapBinder} keyed by its name (so a recipe's
 * {@code "type": "unet"} resolves to it, and a third party's jar on the module path adds names), and
 * the ONNX Runtime backend is bound with the requested device and threads.
 */
public final class TrainingModule extends AbstractModule {

  private final BackendOptions backend;

  public TrainingModule(BackendOptions backend) {
    this.backend = backend;
  }

  @Override
  protected void configure() {
    bind(BackendOptions.class).toInstance(backend);
    bindAll(new TypeLiteral<TaskProvider<?>>() {}, Providers.load(TaskProvider.class));
    bindAll(new TypeLiteral<ArchitectureProvider<?>>() {}, Providers.load(ArchitectureProvider.class));
    bindAll(new TypeLiteral<SamplerProvider<?>>() {}, Providers.load(SamplerProvider.class));
    bindAll(new TypeLiteral<RendererProvider<?>>() {}, Providers.load(RendererProvider.class));
    bind(TrainingRun.class).in(Singleton.class);
  }

  private <P extends Provider<?, ?>> void bindAll(TypeLiteral<P> type, Map<String, P> providers) {
    MapBinder<String, P> binder = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), type);
    providers.forEach((name, p) -> binder.addBinding(name).toInstance(p));
  }

  @Provides
  @Singleton
  OrtBackend backend(BackendOptions options) {
    return new OrtBackend(options);
  }
}
