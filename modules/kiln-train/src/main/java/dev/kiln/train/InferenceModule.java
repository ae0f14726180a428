package dev.kiln.train;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Provider;
import dev.kiln.spi.Providers;
import dev.kiln.spi.RendererProvider;
import dev.kiln.spi.SamplerProvider;
import java.util.Map;

/**
 * Wires serving: the ONNX Runtime backend with the requested device ({@code auto}, {@code cpu} or
 * {@code cuda}, falling back to CPU with one log line) and threads, and every sampler and renderer
 * provider {@link java.util.ServiceLoader} finds, in {@code MapBinder}s keyed by name.
 */
public final class InferenceModule extends AbstractModule {

  private final BackendOptions backend;

  public InferenceModule(BackendOptions backend) {
    this.backend = backend;
  }

  @Override
  protected void configure() {
    bind(BackendOptions.class).toInstance(backend);
    bindAll(binder(), new TypeLiteral<SamplerProvider<?>>() {}, Providers.load(SamplerProvider.class));
    bindAll(binder(), new TypeLiteral<RendererProvider<?>>() {}, Providers.load(RendererProvider.class));
  }

  static <P extends Provider<?, ?>> void bindAll(com.google.inject.Binder binder, TypeLiteral<P> type,
      Map<String, P> providers) {
    MapBinder<String, P> map = MapBinder.newMapBinder(binder, TypeLiteral.get(String.class), type);
    providers.forEach((name, p) -> map.addBinding(name).toInstance(p));
  }

  @Provides
  @Singleton
  OrtBackend backend(BackendOptions options) {
    return new OrtBackend(options);
  }
}
