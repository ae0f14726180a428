package dev.kiln.conformance.phasespace;

import dev.kiln.spi.PhaseSpaceSamplerProvider;
import dev.kiln.spi.Providers;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;

/** The phase-space sampler contract for every {@link PhaseSpaceSamplerProvider} on the module path. */
public final class PhaseSpaceSamplerSuite {

  private PhaseSpaceSamplerSuite() {}

  public static Stream<DynamicContainer> forAllProviders() {
    Map<String, PhaseSpaceSamplerProvider<?>> found = Providers.load(PhaseSpaceSamplerProvider.class);
    return found.values().stream().map(p -> DynamicContainer.dynamicContainer(p.name() + " (" + p.getClass().getName()
        + ")", PhaseSpaceSamplerChecks.all(p).entrySet().stream()
            .map(e -> DynamicTest.dynamicTest(e.getKey(), e.getValue()::run))));
  }
}
