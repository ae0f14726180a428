package dev.kiln.conformance.renderers;

import dev.kiln.runtime.BackendOptions;
import dev.kiln.runtime.Device;
import dev.kiln.runtime.OrtBackend;
import dev.kiln.spi.Renderer;
import dev.kiln.spi.RendererProvider;
import org.junit.jupiter.api.Test;

/**
 * The renderer contract for one provider. Implement it in a test class:
 * <pre>{@code
 * class MyRendererTest implements RendererContract {
 *   public RendererProvider<?> provider() { return new MyRendererProvider(); }
 * }
 * }</pre>
 * and JUnit checks, on both faces of the renderer (graph and host): the analytic opacity of a
 * uniform-density sphere, the background through empty space, weights that are non-negative and sum
 * to at most 1, an opaque sample's colour and depth, and that the graph face equals the host face.
 */
public interface RendererContract {

  RendererProvider<?> provider();

  /** The renderer under test, made from the provider's {@code exampleConfig()}. */
  default Renderer renderer() {
    return create(provider());
  }

  /** CPU, two threads, basic optimisations. */
  default OrtBackend backend() {
    return new OrtBackend(new BackendOptions(Device.CPU, 2, 1, BackendOptions.Optimization.BASIC, 0));
  }

  @Test
  default void uniformSphereGivesTheAnalyticOpacity() {
    RendererChecks.uniformSphereGivesTheAnalyticOpacity(renderer(), backend());
  }

  @Test
  default void emptySpaceGivesTheBackground() {
    RendererChecks.emptySpaceGivesTheBackground(renderer(), backend());
  }

  @Test
  default void weightsSumToAtMostOne() {
    RendererChecks.weightsSumToAtMostOne(renderer(), backend());
  }

  @Test
  default void opaqueSampleGivesItsColourAndDepth() {
    RendererChecks.opaqueSampleGivesItsColourAndDepth(renderer(), backend());
  }

  @Test
  default void graphFaceEqualsHostFace() {
    RendererChecks.graphFaceEqualsHostFace(renderer(), backend());
  }

  /** A provider's renderer from its example config. */
  static <C> Renderer create(RendererProvider<C> provider) {
    return provider.create(provider.exampleConfig());
  }
}
