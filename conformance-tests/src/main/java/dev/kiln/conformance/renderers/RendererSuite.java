package dev.kiln.conformance.renderers;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Providers;
import dev.kiln.spi.Renderer;
import dev.kiln.spi.RendererProvider;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;

/** The renderer contract for every {@link RendererProvider} on the module path. */
public final class RendererSuite {

  private RendererSuite() {}

  /** Every renderer provider found by {@link java.util.ServiceLoader}, by name. */
  public static Map<String, RendererProvider<?>> providers() {
    return Providers.load(RendererProvider.class);
  }

  /** One container per provider, one test per check. */
  public static Stream<DynamicContainer> forAllProviders() {
    OrtBackend backend = new OrtBackend(new BackendOptions(Device.CPU, 2, 1, BackendOptions.Optimization.BASIC, 0));
    List<RendererProvider<?>> found = List.copyOf(providers().values());
    return found.stream().map(p -> {
      Renderer r = RendererContract.create(p);
      return DynamicContainer.dynamicContainer(p.name() + " (" + p.getClass().getName() + ")", Stream.of(
          DynamicTest.dynamicTest("a uniform-density sphere gives the analytic opacity",
              () -> RendererChecks.uniformSphereGivesTheAnalyticOpacity(r, backend)),
          DynamicTest.dynamicTest("empty space gives the background",
              () -> RendererChecks.emptySpaceGivesTheBackground(r, backend)),
          DynamicTest.dynamicTest("weights sum to at most 1",
              () -> RendererChecks.weightsSumToAtMostOne(r, backend)),
          DynamicTest.dynamicTest("an opaque sample gives its colour and depth",
              () -> RendererChecks.opaqueSampleGivesItsColourAndDepth(r, backend)),
          DynamicTest.dynamicTest("the graph face equals the host face",
              () -> RendererChecks.graphFaceEqualsHostFace(r, backend))));
    });
  }
}
