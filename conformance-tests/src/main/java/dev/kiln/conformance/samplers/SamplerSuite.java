package dev.kiln.conformance.samplers;

import dev.kiln.spi.Providers;
import dev.kiln.spi.SamplerProvider;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;

/** The sampler contract for every {@link SamplerProvider} on the module path. */
public final class SamplerSuite {

  private SamplerSuite() {}

  public static Stream<DynamicContainer> forAllProviders() {
    Map<String, SamplerProvider<?>> found = Providers.load(SamplerProvider.class);
    return found.values().stream().map(p -> DynamicContainer.dynamicContainer(p.name() + " (" + p.getClass().getName()
        + ")", settings(p, 0)));
  }

  /** One container of every check per setting of {@code p} (its example config first), skipping the first few. */
  static Stream<DynamicContainer> settings(SamplerProvider<?> p, int skip) {
    return SamplerChecks.settings(p).entrySet().stream().skip(skip).map(setting -> DynamicContainer
        .dynamicContainer(setting.getKey(), SamplerChecks.all(setting.getValue()).entrySet().stream()
            .map(check -> DynamicTest.dynamicTest(check.getKey(), check.getValue()::run))));
  }
}
