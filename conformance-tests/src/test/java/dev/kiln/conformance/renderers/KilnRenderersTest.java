package dev.kiln.conformance.renderers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every renderer provider on the module path (Kiln's own here) against the renderer contract. */
class KilnRenderersTest {

  @Test
  void kilnsVolumeRendererIsFound() {
    assertThat(RendererSuite.providers()).containsKey("volume");
  }

  @TestFactory
  Stream<DynamicContainer> everyRendererConforms() {
    return RendererSuite.forAllProviders();
  }
}
